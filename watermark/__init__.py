"""The watermark engine: stamp a PDF or a page image with a delivery's mark, read marks back.

A pure engine: bytes or paths and a `Mark` in, a stamped file or image out. It never
imports the web app or the library, and keeps no state of its own. Its sub-packages, each
using only those before it: `pdf` (the file), `ink` (where a page is inked), `marks` (what a
copy carries), then `pictures` (the reader's pages), `stamping` (a stamped copy) and `trace`
(a copy read back).
"""

from typing import TYPE_CHECKING, Any

from watermark.errors import WatermarkError
from watermark.marks.mark import (
    Mark,
    check_signature,
    mask_email,
    new_delivery_id,
    parse_verify_url,
    sign,
    verify_url,
)

if TYPE_CHECKING:
    from watermark.stamping.copies import StampResult, stamp_pdf, stamp_pdf_bytes

_PDF_NAMES = {"StampResult", "stamp_pdf", "stamp_pdf_bytes"}

__all__ = [
    "Mark",
    "StampResult",
    "WatermarkError",
    "check_signature",
    "mask_email",
    "new_delivery_id",
    "parse_verify_url",
    "sign",
    "stamp_pdf",
    "stamp_pdf_bytes",
    "verify_url",
]


def __getattr__(name: str) -> Any:
    """Load the PDF stamper (pikepdf, numpy) when first asked for, not with the package.

    A web process that only searches and reads never stamps a PDF: it need not hold the
    engines' modules (a few tens of MB), and a module that only wants `mask_email` does not
    pay for them.
    """
    if name in _PDF_NAMES:
        from watermark.stamping import copies

        return getattr(copies, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
