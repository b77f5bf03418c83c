"""QR codes: encode the verification URL as a PDF image, decode QR codes from pictures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from watermark.errors import N_, WatermarkError

if TYPE_CHECKING:
    import pikepdf
    from PIL import Image

QUIET_MODULES = 2  # white border in the image itself: the QR sits on a page, never bare


def qr_matrix(text: str) -> list[list[bool]]:
    """Return the QR code of `text` (error correction M) as rows of dark modules."""
    import zxingcpp

    try:
        symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    except Exception as exc:  # zxing-cpp raises plain exceptions for oversize input
        raise WatermarkError(
            N_("The QR code cannot be made: %(detail)s"), code="qr", detail=str(exc)
        ) from exc
    # The image is one byte per module; read it through the buffer protocol rather than
    # numpy, whose import alone costs a fresh worker more than the whole stamp.
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape
    pixels = memoryview(cast(Any, image)).tobytes()  # a buffer, whatever the stubs of numpy's version say
    return [[value < 128 for value in pixels[row * width : (row + 1) * width]] for row in range(height)]


def qr_image(pdf: pikepdf.Pdf, text: str) -> tuple[pikepdf.Object, int]:
    """Return a 1-bit image XObject of the QR code with its quiet zone, and its width in modules."""
    from pikepdf import Name

    from watermark.pdf.streams import flate_stream

    rows = qr_matrix(text)
    side = len(rows) + 2 * QUIET_MODULES
    blank = [False] * QUIET_MODULES
    data = bytearray()
    for r in range(side):
        inner = r - QUIET_MODULES
        dark = blank + rows[inner] + blank if 0 <= inner < len(rows) else [False] * side
        bits = "".join("0" if d else "1" for d in dark)  # DeviceGray 1 bit: 0 is black
        bits += "1" * (-len(bits) % 8)
        data += int(bits, 2).to_bytes(len(bits) // 8, "big")
    image = flate_stream(
        pdf,
        bytes(data),
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=side,
        Height=side,
        ColorSpace=Name.DeviceGray,
        BitsPerComponent=1,
        Interpolate=False,  # keep module edges sharp when viewers scale it
    )
    return image, side


def decode_qr(image: Image.Image) -> list[str]:
    """Return the texts of every QR code found in a picture."""
    import zxingcpp

    gray = image.convert("L")
    found = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    if not found and max(gray.size) < 2500:
        # Small or blurred scans decode better enlarged.
        from PIL import Image as PILImage

        bigger = gray.resize((gray.width * 2, gray.height * 2), PILImage.Resampling.LANCZOS)
        found = zxingcpp.read_barcodes(bigger, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    return [b.text for b in found if b.valid]
