"""The QR code of a status page, drawn on screen as an SVG (the printed ticket has its own)."""

from __future__ import annotations

from markupsafe import Markup, escape

from watermark.marks.qr import qr_matrix

QUIET = 4  # modules of white around the code, as the QR standard asks


def qr_svg(text: str, label: str) -> Markup:
    """Return an inline SVG of the QR code of `text`, named `label` for screen readers."""
    rows = qr_matrix(text)
    side = len(rows) + 2 * QUIET
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start + QUIET} {y + QUIET}h{x - start}v1h-{x - start}z")
    return Markup(
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" role="img" '
        f'aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="#fff"/><path d="{"".join(runs)}" fill="#000"/></svg>'
    )
