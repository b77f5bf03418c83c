"""Plain page pictures kept on disk for the reader, bounded in size, the least recently used out first.

A plain page (no mark) is the same for every reader, so it is rendered once and kept here.
Every process serving the reader shares the folder: a file's modification time is when the
page was last used (each hit touches it), so any process can evict the least recently used
files once the folder passes its size. Files are written whole under a temporary name and
renamed, so a reader never sees half a file; a damaged one is removed and drawn again.
"""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

from PIL import Image

from watermark.errors import WatermarkError
from watermark.pictures.image import PlainPage
from watermark.pictures.pages import pack, unpack, write_atomically

SUFFIX = ".page"
LOW_WATER = 0.9  # evict down to this share of the limit, so eviction runs now and then, not each time
STALE_TEMPORARY_SECONDS = 600  # a temporary file this old was left by a writer that died
_DOCUMENT = re.compile(r"[0-9A-Za-z_-]{1,128}")


class PageCache:
    """A folder of plain page pictures of at most `max_bytes`, keyed by document, page and dpi."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._total: int | None = None  # what this process believes the folder holds, in bytes

    def path_for(self, document: str, page_index: int, dpi: int) -> Path:
        """Return the file a page is kept in (`document` is a file's sha256 or another safe name)."""
        if not _DOCUMENT.fullmatch(document) or page_index < 0:
            raise ValueError(f"Not a cacheable page: {document!r}, {page_index}")
        return self.folder / document[:2] / f"{document}-{dpi}-{page_index + 1}{SUFFIX}"

    def get(self, document: str, page_index: int, dpi: int) -> PlainPage | None:
        """Return the kept pixels of a page, or None if there are none or they were damaged."""
        path = self.path_for(document, page_index, dpi)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            page = unpack(data)
        except WatermarkError:  # cut short or overwritten: drop it, the caller draws it again
            path.unlink(missing_ok=True)
            self._count(-len(data))
            return None
        _touch(path)
        return page

    def put(self, document: str, page_index: int, dpi: int, picture: Image.Image) -> None:
        """Keep the picture of a page (unless it alone is larger than the whole cache)."""
        data = pack(picture)
        if len(data) > self.max_bytes:
            return
        path = self.path_for(document, page_index, dpi)
        write_atomically(path, data)
        _touch(path)
        self.added(len(data))

    def added(self, size: int) -> None:
        """Count a file of `size` bytes just written here (by this process or a worker); evict if over."""
        self._count(size)

    def size(self) -> int:
        """Return the bytes the folder holds now, counted afresh."""
        return sum(entry[1] for entry in self._entries())

    def _count(self, change: int) -> None:
        with self._lock:
            if self._total is None:
                self._total = self.size()  # the first count also sees what other processes wrote
            else:
                self._total = max(0, self._total + change)
            if self._total > self.max_bytes:
                self._total = self._evict()

    def _evict(self) -> int:
        """Remove the least recently used files until the folder is below its low-water mark."""
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        goal = int(self.max_bytes * LOW_WATER)
        now = time.time()
        for used, size, path in entries:
            if total <= goal:
                break
            if path.name.startswith(".tmp-") and now - used / 1e9 < STALE_TEMPORARY_SECONDS:
                continue  # being written right now
            try:
                path.unlink()
            except FileNotFoundError:
                pass  # another process evicted it first
            total -= size
        return total

    def _entries(self) -> list[tuple[int, int, Path]]:
        """Return (last use in ns, size, path) of every file in the folder."""
        found = []
        try:
            shards = list(os.scandir(self.folder))
        except FileNotFoundError:
            return []
        for shard in shards:
            if not shard.is_dir():
                continue
            try:
                files = list(os.scandir(shard.path))
            except FileNotFoundError:
                continue
            for entry in files:
                try:
                    info = entry.stat()
                except FileNotFoundError:
                    continue
                found.append((info.st_mtime_ns, info.st_size, Path(entry.path)))
        return found


def _touch(path: Path) -> None:
    """Record that a page was used now (the kernel's own file times may be a few ms coarse)."""
    now = time.time_ns()
    try:
        os.utime(path, ns=(now, now))
    except FileNotFoundError:
        pass  # evicted meanwhile by another process: the picture in hand is still good
