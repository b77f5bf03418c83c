"""Whoosh reading a segment without copying it: large parts read with pread, small ones mapped once.

Whoosh-Reloaded 2.7.5 maps each segment file (its compound storage) once per searcher, then
opens each part of it (postings, term index, ...) as a `BufferFile`, whose constructor copies
the part into a `BytesIO`: every searcher held a private copy of the whole segment. With a
searcher per waitress thread, a web process on a 20,000-page index grew from 30 MB to 3.2 GB
after a few searches per thread (and to 9.5 GB at 100,000 pages).

`install()` (the engines call it when imported) changes three things, for every index the process reads:
- a `BufferFile` reads its part through the buffer it was given, never copying it;
- a segment file is mapped once per process, however many searchers read it (segments never
  change once written: a new version writes new files), and unmapped when the last is closed;
- a part of `PREAD_FROM` bytes or more (the postings and the term index of a large catalogue)
  is not read through the map but with `pread` (`FileRange`), a few 16 kB blocks kept per
  part and searcher: the pages of a map a search touches count in the process's resident set
  until released, and the kernel maps their neighbours too, so at a million pages a web
  process held 40-160 MB of index pages at any time; read with pread, they are only the
  operating system's file cache (shared by every process, given back under pressure).
The small parts (columns, lengths) stay mapped: they are read a few bytes at a time, per
document. `MAPS.release_resident()` (a web process calls it every second) takes their touched
pages out of the process's resident set.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import os
import threading
import weakref

from whoosh.filedb import compound, structfile

_original_compound_init = compound.CompoundStorage.__init__


# A part this large is read with pread (postings, term index: 200-800 MB each at a million
# pages); a smaller one is read through the map (columns: 2 MB at most there).
PREAD_FROM = 8 * 2**20
BLOCK = 16 * 1024  # bytes read at once from a part read with pread ...
BLOCKS = 8  # ... and how many of its blocks a part keeps (per searcher: 128 kB)


class OpenFile:
    """A file descriptor of a segment file, closed once nothing reads through it any more."""

    __slots__ = ("__weakref__", "number")

    def __init__(self, number: int) -> None:
        self.number = number

    def __del__(self) -> None:
        with contextlib.suppress(OSError):  # (already closed, were it by the process's end)
            os.close(self.number)


class FileRange:
    """A range of a file read with `pread` when sliced: a buffer for `BufferFile` that maps nothing.

    Whoosh reads its parts a few bytes at a time (a block's header, then its ids, its weights),
    mostly near the last read: a slice within one 16 kB block is cut from the block, read once
    and kept among the part's last `BLOCKS`; a slice across blocks is read as it is. One
    searcher (one thread) reads a part's range at a time; the blocks are a cache only.
    """

    __slots__ = ("_blocks", "_file", "_length", "_offset")

    def __init__(self, file: OpenFile, offset: int, length: int) -> None:
        self._file, self._offset, self._length = file, offset, length
        self._blocks: dict[int, bytes] = {}

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key: slice) -> bytes:
        start, stop, _ = key.indices(self._length)
        if stop <= start:
            return b""
        first = start // BLOCK
        if (stop - 1) // BLOCK != first:
            return os.pread(self._file.number, stop - start, self._offset + start)
        block = self._blocks.get(first)
        if block is None:
            at = first * BLOCK
            block = os.pread(self._file.number, min(BLOCK, self._length - at), self._offset + at)
            self._blocks[first] = block
            if len(self._blocks) > BLOCKS:
                with contextlib.suppress(RuntimeError, KeyError):  # (were it read from two threads)
                    del self._blocks[next(iter(self._blocks))]  # the oldest read
        inside = start - first * BLOCK
        return block[inside : inside + stop - start]

    def part(self, offset: int, length: int) -> FileRange:
        """Return the range of `length` bytes from `offset` within this one."""
        return FileRange(self._file, self._offset + offset, max(min(length, self._length - offset), 0))


class ViewFile(io.RawIOBase):
    """A read-only file over a memory view or a `FileRange`: what `BytesIO(view)` gives, without a copy."""

    def __init__(self, view: memoryview | FileRange) -> None:
        super().__init__()
        self._view = view
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 (any writable buffer)
        size = min(len(buffer), max(len(self._view) - self._position, 0))
        buffer[:size] = self._view[self._position : self._position + size]
        self._position += size
        return size

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(self._position + size, len(self._view))
        start, self._position = self._position, max(end, self._position)
        return bytes(self._view[start:end])

    def readline(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(self._position + size, len(self._view))
        cursor = self._position
        while cursor < end:
            chunk = bytes(self._view[cursor : min(cursor + 4096, end)])
            newline = chunk.find(b"\n")
            if newline >= 0:
                end = cursor + newline + 1
                break
            cursor += len(chunk)
        return self.read(end - self._position)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: len(self._view)}[whence]
        self._position = max(base + offset, 0)
        return self._position

    def tell(self) -> int:
        return self._position


def _buffer_file_init(self, buf, name=None, onclose=None) -> None:  # noqa: ANN001 (whoosh's signature)
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf if isinstance(buf, FileRange) else memoryview(buf))
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


class SharedMaps:
    """The segment files mapped in this process, each once, counted by the storages reading it.

    It also keeps one descriptor of each segment file open for the parts read with pread, for
    as long as a storage or a part still reads through it.
    """

    def __init__(self) -> None:
        self._maps: dict[tuple[int, ...], tuple[mmap.mmap, int]] = {}
        self._keys: dict[int, tuple[int, ...]] = {}  # id(map) -> key
        self._files: weakref.WeakValueDictionary[tuple[int, ...], OpenFile] = weakref.WeakValueDictionary()
        self._lock = threading.Lock()

    def open_file(self, fileno: int) -> OpenFile:
        """Return the descriptor this process reads the file open as `fileno` with (one per file)."""
        key = _identity(os.fstat(fileno))
        with self._lock:
            kept = self._files.get(key)
            if kept is None:
                kept = self._files[key] = OpenFile(os.dup(fileno))
            return kept

    def holds_open(self, path: str | os.PathLike[str]) -> bool:
        """Tell whether this process holds the file at `path` open for pread."""
        key = _identity(os.stat(path))
        with self._lock:
            return key in self._files

    def open(self, fileno: int) -> mmap.mmap:
        """Return the map of the file open as `fileno` (the one map of that file in this process)."""
        key = _identity(os.fstat(fileno))
        with self._lock:
            if key in self._maps:
                shared, users = self._maps[key]
                self._maps[key] = (shared, users + 1)
                return shared
            shared = mmap.mmap(fileno, 0, access=mmap.ACCESS_READ)
            self._maps[key] = (shared, 1)
            self._keys[id(shared)] = key
            return shared

    def release(self, shared: mmap.mmap) -> None:
        """Say one storage no longer reads the map; the last one unmaps it (once nothing views it)."""
        with self._lock:
            key = self._keys.get(id(shared))
            if key is None:
                return
            _, users = self._maps[key]
            if users > 1:
                self._maps[key] = (shared, users - 1)
                return
            del self._maps[key], self._keys[id(shared)]
        try:
            shared.close()
        except BufferError:
            pass  # a part is still viewed (a matcher not yet freed): unmapped when it is

    def release_resident(self) -> int:
        """Drop the pages of every map from this process's resident set; return how many maps.

        The pages a search touched stay in the operating system's file cache (shared with every
        process reading the index) and come back at the next touch for the cost of a minor
        fault; but while mapped they count in this process's RSS, which then grew with the
        index read, not with what the process itself holds.
        """
        with self._lock:
            maps = [shared for shared, _ in self._maps.values()]
        for shared in maps:
            try:
                shared.madvise(mmap.MADV_DONTNEED)
            except (OSError, ValueError, AttributeError):
                pass  # closed meanwhile, or no madvise here: nothing to give
        return len(maps)

    def readers_of(self, path: str | os.PathLike[str]) -> int:
        """Return how many storages read the map of this file (0: it is not mapped)."""
        key = _identity(os.stat(path))
        with self._lock:
            return self._maps[key][1] if key in self._maps else 0


def _identity(status: os.stat_result) -> tuple[int, ...]:
    # A segment file is never changed once written; its inode is not reused while it is open.
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


MAPS = SharedMaps()


def _compound_init(self, dbfile, use_mmap=True, basepos=0) -> None:  # noqa: ANN001 (whoosh's signature)
    _original_compound_init(self, dbfile, use_mmap=False, basepos=basepos)  # reads the directory only
    if not use_mmap or not hasattr(self._file, "fileno"):
        return
    try:
        self._source = MAPS.open(self._file.fileno())
        self._read = FileRange(MAPS.open_file(self._file.fileno()), 0, len(self._source))
    except (OSError, ValueError):
        self._source = None  # no map (no memory for it, an odd file): Whoosh reads the parts from the file
        return
    # Released by close(), or when the storage is dropped unclosed: Whoosh does so when a segment
    # file vanishes while it opens a reader (another process merged it away) and it tries again.
    self._release = weakref.finalize(self, MAPS.release, self._source)
    self._file.close()
    self._file = None


_original_open_file = compound.CompoundStorage.open_file


def _compound_open_file(self, name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 (whoosh's)
    whole = getattr(self, "_read", None)
    if whole is not None and not self.is_closed:
        offset, length = self.range(name)
        if length >= PREAD_FROM:
            return structfile.BufferFile(whole.part(offset, length), name=name)
    return _original_open_file(self, name, *args, **kwargs)  # a view of the map


def _compound_close(self) -> None:
    if self.is_closed:
        raise Exception("Already closed")  # noqa: TRY002 (as Whoosh raises it)
    self.is_closed = True
    release = getattr(self, "_release", None)
    if release is not None:
        release()  # once: a finalizer runs at most once
    self._source = self._read = None
    if self._file:
        self._file.close()


def install() -> None:
    """Make Whoosh read segments this way in this process (again: no change)."""
    structfile.BufferFile.__init__ = _buffer_file_init
    compound.CompoundStorage.__init__ = _compound_init
    compound.CompoundStorage.close = _compound_close
    compound.CompoundStorage.open_file = _compound_open_file
