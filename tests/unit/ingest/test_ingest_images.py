"""Page images read from their headers: size, resolution, orientation and frames."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PIL import Image

from ingest.errors import IngestError
from ingest.images import Frame, read_frames, usable_dpi


def _page(width: int = 340, height: int = 440) -> Image.Image:
    return Image.new("L", (width, height), 255)


def test_a_jpeg_header_gives_size_and_jfif_resolution(tmp_path: Path) -> None:
    path = tmp_path / "page.jpg"
    _page().save(path, "JPEG", dpi=(200, 200))
    assert read_frames(path, "jpeg", 10) == [Frame(340, 440, (200.0, 200.0), 1)]


def test_a_jpeg_exif_orientation_turns_the_page_on_its_side(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "phone.jpg"
    _page(400, 300).save(path, "JPEG", exif=exif)
    (frame,) = read_frames(path, "jpeg", 10)
    assert frame.orientation == 6
    assert frame.page_size() == pytest.approx((300 * 72 / 300, 400 * 72 / 300))


def test_a_png_resolution_in_pixels_per_metre_is_read_as_whole_dpi(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    _page().save(path, dpi=(150, 150))
    (frame,) = read_frames(path, "png", 10)
    assert frame.dpi == (150.0, 150.0)
    assert frame.page_size() == pytest.approx((340 * 72 / 150, 440 * 72 / 150))


@pytest.mark.parametrize("dpi", [None, (1, 1), (0, 0)])
def test_a_missing_or_silly_resolution_falls_back_to_300_dpi(tmp_path: Path, dpi) -> None:
    path = tmp_path / "page.png"
    _page().save(path, **({"dpi": dpi} if dpi else {}))
    (frame,) = read_frames(path, "png", 10)
    assert frame.page_size() == pytest.approx((340 * 72 / 300, 440 * 72 / 300))


def test_usable_dpi_keeps_real_resolutions_and_replaces_placeholders() -> None:
    assert [usable_dpi(v) for v in (600, 72, 49, 0)] == [600, 72, 300, 300]


@pytest.mark.parametrize("big", [False, True])
def test_every_frame_of_a_tiff_is_read(tmp_path: Path, big: bool) -> None:
    path = tmp_path / "pages.tif"
    first, second = _page(), _page(440, 340).convert("1")
    first.save(path, save_all=True, append_images=[second], dpi=(400, 400), big_tiff=big)
    frames = read_frames(path, "tiff", 10)
    assert [(f.width, f.height, f.dpi) for f in frames] == [
        (340, 440, (400.0, 400.0)),
        (440, 340, (400.0, 400.0)),
    ]


def test_a_tiff_resolution_in_centimetres_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "cm.tif"
    _page().save(path, tiffinfo={282: 100.0, 283: 100.0, 296: 3})
    (frame,) = read_frames(path, "tiff", 10)
    assert frame.dpi == pytest.approx((254.0, 254.0))


def test_reading_stops_one_frame_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "many.tif"
    _page(20, 20).save(path, save_all=True, append_images=[_page(20, 20)] * 9)
    assert len(read_frames(path, "tiff", 3)) == 4


def test_a_tiff_whose_frames_loop_is_damaged(tmp_path: Path) -> None:
    # Header, then one IFD with a width and a length whose "next IFD" points to itself.
    ifd = (
        struct.pack("<H", 2)
        + struct.pack("<HHII", 256, 4, 1, 10)
        + struct.pack("<HHII", 257, 4, 1, 10)
        + struct.pack("<I", 8)
    )
    path = tmp_path / "loop.tif"
    path.write_bytes(b"II*\0" + struct.pack("<I", 8) + ifd)
    with pytest.raises(IngestError) as caught:
        read_frames(path, "tiff", 10)
    assert caught.value.code == "damaged"


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),  # cut before any frame header
        ("png", b"\x89PNG\r\n\x1a\n\0\0"),
        ("tiff", b"II*\0\xff\xff\xff\x7f"),  # first IFD far beyond the end
    ],
)
def test_a_header_cut_short_is_damaged(tmp_path: Path, kind: str, data: bytes) -> None:
    path = tmp_path / f"cut.{kind}"
    path.write_bytes(data)
    with pytest.raises(IngestError) as caught:
        read_frames(path, kind, 10)
    assert caught.value.code == "damaged"
    assert caught.value.params == {"name": path.name}
