"""A page's content armoured in ASCII85 or hex reaches the copy without the armour, drawing the same."""

from __future__ import annotations

import base64
import binascii
import zlib
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from tests.integration.watermark.conftest import MARK, SECRET
from watermark import stamp_pdf

DRAWN = [f"BT /F1 14 Tf 72 {700 - 40 * n} Td (Halaman {n + 1}: isi asli) Tj ET\n".encode() for n in range(5)]


def _a85(data: bytes) -> bytes:
    return base64.a85encode(data, wrapcol=72) + b"~>"


def _hex(data: bytes) -> bytes:
    return binascii.hexlify(data) + b">"


# Each page's content as a producer may write it: its raw bytes and its filters.
WRITTEN = [
    (lambda d: _a85(zlib.compress(d)), [Name.ASCII85Decode, Name.FlateDecode]),  # reportlab's way
    (lambda d: _hex(zlib.compress(d)), [Name.ASCIIHexDecode, Name.FlateDecode]),
    (_a85, [Name.ASCII85Decode]),  # armour alone: deflated in the copy
    (zlib.compress, [Name.FlateDecode]),  # no armour: left as it is
]


@pytest.fixture(scope="module")
def armoured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five pages: one per way above, the fifth drawing with the first page's stream (shared)."""
    path = tmp_path_factory.mktemp("armour") / "armoured.pdf"
    with pikepdf.new() as pdf:
        font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
        streams = []
        for n, (encode, filters) in enumerate(WRITTEN):
            stream = pikepdf.Stream(pdf, encode(DRAWN[n]))
            stream.Filter = Array(filters)
            streams.append(stream)
        for stream in [*streams, streams[0]]:
            page = pikepdf.Page(
                Dictionary(
                    Type=Name.Page,
                    MediaBox=Array([0, 0, 595, 842]),
                    Resources=Dictionary(Font=Dictionary(F1=font)),
                    Contents=stream,
                )
            )
            pdf.pages.append(page)
        # qpdf would take the armour off as it writes: written as they are.
        pdf.save(path, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False)
    with pikepdf.open(path) as saved:
        assert saved.pages[0].obj.Contents.Filter[0] == Name.ASCII85Decode
    return path


def test_the_copy_draws_each_pages_own_content_without_its_armour(armoured: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.pdf"
    stamp_pdf(armoured, target, MARK, SECRET)
    expected = [*DRAWN[:4], DRAWN[0]]
    with pikepdf.open(target) as pdf:
        for number, (page, drawn) in enumerate(zip(pdf.pages, expected, strict=True), start=1):
            contents = page.obj.Contents
            original = list(contents)[1:-1]  # [q, the page's own..., Q and the stamp]
            assert [s.read_bytes() for s in original] == [drawn], number
            filters = original[0].get(Name.Filter)
            names = list(filters) if isinstance(filters, Array) else [filters]
            assert names == [Name.FlateDecode], number
        # The shared stream was unarmoured once and is still shared.
        assert list(pdf.pages[0].obj.Contents)[1].objgen == list(pdf.pages[4].obj.Contents)[1].objgen
