"""The delivery id in a stamped file's metadata: its XMP record, its document information, its /ID.

A trace reads them back (`watermark.trace.reading`), and every copy written is checked for
the /ID (`watermark.stamping.copies`).
"""

from __future__ import annotations

import os
import warnings

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from watermark.marks.mark import NOTICE, Mark

XMP_NAMESPACE = "https://pustaka.bps.go.id/ns/watermark/1.0/"
XMP_PREFIX = "pustaka"
DOCINFO_KEY = Name("/PustakaDeliveryID")
ID_PREFIX = b"PSTK"  # the document /ID's first element is PSTK + delivery id


def write_metadata(pdf: pikepdf.Pdf, mark: Mark) -> None:
    """Write the delivery id, the terms of use and the title into the file's metadata and /ID."""
    delivery_id = mark.delivery_id
    if "/Metadata" in pdf.Root:
        _update_record(pdf, mark)
    else:  # most publications have none: written as pikepdf would, without loading lxml for it
        pdf.Root.Metadata = pdf.make_stream(_new_record(mark), Type=Name.Metadata, Subtype=Name.XML)
    information = _document_information(pdf)
    information[DOCINFO_KEY] = delivery_id
    if mark.title:
        information[Name.Title] = mark.title  # viewers show it instead of the file name
    # qpdf keeps the first /ID element on every rewrite, so the id survives re-saving.
    pdf.trailer.ID = Array([String(ID_PREFIX + delivery_id.encode()), String(os.urandom(16))])


def _document_information(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """Return the trailer's /Info, made an indirect dictionary where it is not one (as `Pdf.docinfo`)."""
    trailer = pdf.trailer
    information = trailer.get(Name.Info)
    if not isinstance(information, Dictionary):
        information = trailer.Info = pdf.make_indirect(Dictionary())
    elif not information.is_indirect:
        information = trailer.Info = pdf.make_indirect(information)
    return information


def _update_record(pdf: pikepdf.Pdf, mark: Mark) -> None:
    """Add the delivery's fields to the publisher's XMP record, kept otherwise as it was."""
    from pikepdf.models.metadata import PdfMetadata

    PdfMetadata.register_xml_namespace(XMP_NAMESPACE, XMP_PREFIX)
    # pikepdf warns when it has to repair a publisher's broken XMP; that is not ours
    # to fail on, and the repaired record still receives the delivery id.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta[f"{XMP_PREFIX}:DeliveryId"] = mark.delivery_id
            meta["xmpRights:Marked"] = "True"
            meta["xmpRights:UsageTerms"] = NOTICE
            if mark.title:
                meta["dc:title"] = mark.title


def _alternative(text: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{_escaped(text)}</rdf:li></rdf:Alt>'


def _escaped(text: str) -> str:
    # As xml.sax.saxutils.escape, which would load urllib.request into a first stamp (18 ms).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _new_record(mark: Mark) -> bytes:
    """Return an XMP record of the delivery's fields alone (mark's texts hold no XML-forbidden character)."""
    rights = 'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"'
    fields = [
        f'<{XMP_PREFIX}:DeliveryId xmlns:{XMP_PREFIX}="{XMP_NAMESPACE}">'
        f"{_escaped(mark.delivery_id)}</{XMP_PREFIX}:DeliveryId>",
        f"<xmpRights:Marked {rights}>True</xmpRights:Marked>",
        f"<xmpRights:UsageTerms {rights}>{_alternative(NOTICE)}</xmpRights:UsageTerms>",
    ]
    if mark.title:
        fields.append(
            f'<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">{_alternative(mark.title)}</dc:title>'
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="pikepdf">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f' <rdf:Description rdf:about="">{"".join(fields)}</rdf:Description></rdf:RDF>\n'
        "</x:xmpmeta>\n\n"
        '<?xpacket end="w"?>\n'
    ).encode()
