"""MARC21 in and out: the BPS profile as an exchange format beside oai_dc, never a second record model.

One table (`profile`) says which tag carries which field, in every direction: a publication written
as a record (`to_marc`, for OAI-PMH's marc21), the catalogue exported as ISO 2709 or MARCXML
(`export_marc`), and a file imported: read one record at a time, a broken record reported by its
position, matched to a publication and office, planned, then applied a batch per transaction after
a dry run that reports the same plan (`import_records`). `MarcRecord` is pymarc's record, for those
who hold one.
"""

from pymarc import Record as MarcRecord

__all__ = ["MarcRecord"]
