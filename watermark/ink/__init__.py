"""Where a page holds ink: measured from its content or a coarse render, kept, and measured ahead.

The stamp goes only where a page has no ink. A page's ink is read from its content
(`content_ink`) or drawn by PDFium or MuPDF (`pdfium_ink`, `inkrender`), kept beside the
publication (`inkmap`), and, for a first stamp someone waits on, measured in forked processes
(`ahead`, `forked`, `claims`, `host`). `pageinks` decides which for each page. Built on `watermark.pdf`.
"""
