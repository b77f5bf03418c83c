"""A stamped copy of a PDF: every page marked where its ink leaves room, written whole and checked.

`copies.stamp_pdf` and `stamp_pdf_bytes` (given by the `watermark` package) open, repair if
need be, stamp and check a copy; `stamper.Stamper` lays the stamp on each page. Built on
`watermark.pdf`, `watermark.ink` and `watermark.marks`.
"""
