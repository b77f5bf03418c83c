"""Reading a suspicious PDF, picture or text back: every mark found, and where.

`reading.read_marks` reads metadata, hidden and visible text, QR codes, the tiled codes and
the faint diagonal copies (by OCR, `diagonal`, or by the letters' shapes, `diagonal_match`);
`evidence` turns what it reads into delivery ids. Built on `watermark.pdf` and
`watermark.marks`; it never stamps.
"""
