"""The delivery id in a stamped file's metadata: its XMP record, its document information, its /ID.

A trace reads them back (`watermark.trace.reading`), and every copy written is checked for
the /ID (`watermark.stamping.copies`).
"""

from __future__ import annotations

import os
import warnings

import pikepdf
from pikepdf import Array, Name, String

from watermark.marks.mark import NOTICE, Mark

XMP_NAMESPACE = "https://pustaka.bps.go.id/ns/watermark/1.0/"
XMP_PREFIX = "pustaka"
DOCINFO_KEY = Name("/PustakaDeliveryID")
ID_PREFIX = b"PSTK"  # the document /ID's first element is PSTK + delivery id


def write_metadata(pdf: pikepdf.Pdf, mark: Mark) -> None:
    """Write the delivery id, the terms of use and the title into the file's metadata and /ID."""
    delivery_id = mark.delivery_id
    from pikepdf.models.metadata import PdfMetadata

    PdfMetadata.register_xml_namespace(XMP_NAMESPACE, XMP_PREFIX)
    # pikepdf warns when it has to repair a publisher's broken XMP; that is not ours
    # to fail on, and the repaired record still receives the delivery id.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta[f"{XMP_PREFIX}:DeliveryId"] = delivery_id
            meta["xmpRights:Marked"] = "True"
            meta["xmpRights:UsageTerms"] = NOTICE
            if mark.title:
                meta["dc:title"] = mark.title
    pdf.docinfo[DOCINFO_KEY] = delivery_id
    if mark.title:
        pdf.docinfo[Name.Title] = mark.title  # viewers show it instead of the file name
    # qpdf keeps the first /ID element on every rewrite, so the id survives re-saving.
    pdf.trailer.ID = Array([String(ID_PREFIX + delivery_id.encode()), String(os.urandom(16))])
