"""The watermark engine: stamp a PDF or a page image with a delivery's mark, read marks back.

A pure engine: bytes or paths and a `Mark` in, a stamped file or image out. It never
imports the web app or the library, and keeps no state of its own.
"""

from watermark.errors import WatermarkError
from watermark.mark import (
    Mark,
    check_signature,
    mask_email,
    new_delivery_id,
    parse_verify_url,
    sign,
    verify_url,
)
from watermark.pdf import StampResult, stamp_pdf, stamp_pdf_bytes

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
