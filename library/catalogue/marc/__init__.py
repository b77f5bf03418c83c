"""MARC21 in and out: the BPS profile as an exchange format beside oai_dc, never a second record model.

- `profile`: which tag carries which field (the table), shared by every direction.
- `writing`: a publication as a MARC record (`to_marc`); `export`: the catalogue streamed as
  ISO 2709 or MARCXML (`export_marc`), and one record's bytes (`marc_bytes`).
- `files`: a file read one record at a time, a broken record reported by its position (`read_marc`).
- `MarcRecord`: pymarc's record, for those who hold one.
- `reading`: a record read into the profile (`describe`); `matching`: the publication and office it
  names; `planning`: what importing it would do (`plan_record`); `importing`: the dry run and the
  import, a batch per transaction (`import_records`).
"""

from pymarc import Record as MarcRecord

__all__ = ["MarcRecord"]
