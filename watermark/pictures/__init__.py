"""Page pictures for the in-browser reader: rendered plain, marked for each reader, packed, thumbnailed.

Renders run in worker processes (`render_worker`) so a slow page blocks no one. Built on
`watermark.pdf`, `watermark.ink` and `watermark.marks`.
"""
