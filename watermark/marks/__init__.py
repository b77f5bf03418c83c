"""What a copy carries: the mark, the stamp's text and faces, its layout and place on a page, the codes.

The `Mark` of a delivery and its signed link (`mark`); the stamp's faces and lines
(`fonts`, `lettering`, `diagonal_layout`); where it goes on a page (`layout`, `placement`);
the QR code, the tiled codes (`tile_code`, `print_code`, `conv_code`), the fingerprint's dots
and the metadata. Each code is drawn and read back here; `watermark.trace` finds them in a
file. Built on `watermark.pdf` and `watermark.ink`.
"""
