"""The reader's render cache on disk: pages come back whole, the folder stays bounded, damage is redrawn."""

from __future__ import annotations

import os
import random
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from library.catalogue.page_cache import STALE_TEMPORARY_SECONDS, PageCache
from watermark.errors import WatermarkError
from watermark.pictures.image import PlainPage
from watermark.pictures.pages import pack, unpack, without_colour, write_atomically

DPI = 110


def page(number: int, size: tuple[int, int] = (120, 170), mode: str = "L") -> Image.Image:
    """Return a small page picture that differs from page to page and does not compress to nothing."""
    noise = random.Random(number).randbytes(size[0] * size[1])
    picture = Image.frombytes("L", size, noise).convert(mode)
    ImageDraw.Draw(picture).text((10, 10), f"halaman {number}", fill=0 if mode == "L" else (200, 0, 0))
    return picture


def same(a: PlainPage | None, b: Image.Image) -> bool:
    """Tell whether a kept page has the mode, size and pixels of a picture."""
    return a is not None and a == PlainPage.of(b)


def packed_size(picture: Image.Image) -> int:
    """Return the bytes a picture takes in the cache."""
    return len(pack(picture))


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_a_page_put_in_comes_back_with_the_same_pixels(tmp_path: Path, mode: str) -> None:
    cache = PageCache(tmp_path, 10 * 2**20)
    picture = page(1, mode=mode)
    cache.put("abc123", 0, DPI, picture)
    assert same(cache.get("abc123", 0, DPI), picture)
    assert cache.get("abc123", 1, DPI) is None  # another page
    assert cache.get("abc123", 0, 150) is None  # another resolution


def test_the_folder_never_holds_more_than_its_size_and_the_least_recently_used_go_first(
    tmp_path: Path,
) -> None:
    one = packed_size(page(0))
    cache = PageCache(tmp_path, one * 5 + one // 2)  # room for five pages
    for number in range(5):
        cache.put("book", number, DPI, page(number))
    assert cache.get("book", 0, DPI) is not None  # page 1 was read again: now the most recent
    for number in range(5, 9):
        cache.put("book", number, DPI, page(number))
        assert cache.size() <= cache.max_bytes
    kept = [number for number in range(9) if cache.path_for("book", number, DPI).exists()]
    assert 0 in kept and 8 in kept
    assert 1 not in kept and 2 not in kept  # the least recently used went first
    assert all(same(cache.get("book", n, DPI), page(n)) for n in kept)


def test_a_picture_larger_than_the_whole_cache_is_not_kept(tmp_path: Path) -> None:
    cache = PageCache(tmp_path, 100)
    cache.put("book", 0, DPI, page(0))
    assert cache.get("book", 0, DPI) is None
    assert cache.size() == 0


def test_a_cache_opened_later_counts_what_is_already_there(tmp_path: Path) -> None:
    one = packed_size(page(0))
    first = PageCache(tmp_path, one * 10)
    for number in range(4):
        first.put("book", number, DPI, page(number))
    second = PageCache(tmp_path, one * 5 + one // 2)  # another process, with a smaller limit
    second.put("book", 4, DPI, page(4))
    second.put("book", 5, DPI, page(5))
    assert second.size() <= second.max_bytes
    assert second.get("book", 5, DPI) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # a write cut short
        lambda data: data[:10],  # not even a whole header
        lambda data: data[:-40] + bytes(40),  # the end overwritten
        lambda data: b"",  # an empty file left by a crash
        lambda data: b"GIF89a" + data[6:],  # not a packed page at all
    ],
)
def test_a_damaged_file_is_dropped_so_the_page_is_drawn_again(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = PageCache(tmp_path, 10 * 2**20)
    cache.put("book", 0, DPI, page(0))
    path = cache.path_for("book", 0, DPI)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get("book", 0, DPI) is None
    assert not path.exists()
    cache.put("book", 0, DPI, page(0))  # drawn again
    assert same(cache.get("book", 0, DPI), page(0))


def test_a_packed_header_that_asks_for_a_huge_picture_is_damage(tmp_path: Path) -> None:
    data = bytearray(pack(page(0)))
    data[12:16] = (200_000).to_bytes(4, "big")  # the width
    with pytest.raises(WatermarkError) as caught:
        unpack(bytes(data))
    assert caught.value.code == "damaged"


def test_writers_at_the_same_time_never_leave_a_torn_file(tmp_path: Path) -> None:
    cache = PageCache(tmp_path, 100 * 2**20)
    path = cache.path_for("book", 0, DPI)
    versions = [page(n, size=(900, 1200)) for n in range(4)]  # big enough for writes to interleave
    torn: list[str] = []
    done = threading.Event()

    def write(picture: Image.Image) -> None:
        for _ in range(6):
            cache.put("book", 0, DPI, picture)

    def read() -> None:
        while not done.is_set():
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            try:
                unpack(data)
            except WatermarkError as exc:
                torn.append(str(exc))

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(v,)) for v in versions]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join()
    assert torn == []
    assert any(same(cache.get("book", 0, DPI), v) for v in versions)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_a_write_that_fails_leaves_neither_the_file_nor_a_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(source: str, target: str) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr("watermark.pictures.pages.os.replace", full_disk)
    target = tmp_path / "ab" / "page.page"
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, pack(page(0)))
    assert list(target.parent.iterdir()) == []


def test_a_temporary_file_left_by_a_dead_writer_is_cleared_once_stale(tmp_path: Path) -> None:
    one = packed_size(page(0))
    cache = PageCache(tmp_path, one * 3 + one // 2)
    leftover = cache.path_for("book", 0, DPI).with_name(".tmp-dead.page")
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(bytes(one))
    old = leftover.stat().st_mtime - STALE_TEMPORARY_SECONDS - 60
    os.utime(leftover, (old, old))
    for number in range(4):
        cache.put("book", number, DPI, page(number))
    assert not leftover.exists()
    assert cache.size() <= cache.max_bytes


@pytest.mark.parametrize("document", ["../etc", "a/b", "", "x" * 200, "sha.256"])
def test_only_safe_names_become_cache_files(tmp_path: Path, document: str) -> None:
    with pytest.raises(ValueError):
        PageCache(tmp_path, 2**20).path_for(document, 0, DPI)


def test_a_page_without_colour_is_kept_in_greyscale_and_a_coloured_one_in_colour() -> None:
    grey = page(1, mode="L").convert("RGB")
    assert without_colour(grey).mode == "L"
    assert ImageChops.difference(without_colour(grey).convert("RGB"), grey).getbbox() is None
    coloured = page(1, mode="RGB")
    assert without_colour(coloured) is coloured
