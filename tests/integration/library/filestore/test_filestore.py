"""The file store keeps files under their sha256, atomically, and never changes them."""

from __future__ import annotations

import errno
import hashlib
import io
import multiprocessing
import os
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from library.errors import NotFound, StorageError
from library.filestore import FileStore


def test_stored_bytes_are_found_under_their_sha256(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    stored = store.put_bytes(b"Kota Metro Dalam Angka")
    digest = hashlib.sha256(b"Kota Metro Dalam Angka").hexdigest()
    assert stored.sha256 == digest
    assert stored.path == tmp_path / digest[:2] / digest[2:4] / digest
    assert store.read_bytes(digest) == b"Kota Metro Dalam Angka"


def test_storing_the_same_content_twice_keeps_one_file(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    first = store.put_bytes(b"same")
    second = store.put_stream(io.BytesIO(b"same"))
    assert first == second
    assert list(store.digests()) == [first.sha256]


def test_stored_files_are_read_only(tmp_path: Path) -> None:
    stored = FileStore(tmp_path).put_bytes(b"master")
    assert stat.S_IMODE(stored.path.stat().st_mode) & 0o222 == 0


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.put_bytes(b"a")
    store.put_file(store.path_for(store.put_bytes(b"b").sha256))
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    store = FileStore(tmp_path)

    class Broken(io.RawIOBase):
        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            raise OSError(5, "Input/output error")

    with pytest.raises(StorageError, match="Input/output error"):
        store.put_stream(Broken())  # type: ignore[arg-type]
    assert list(store.digests()) == []
    assert list((tmp_path / "tmp").iterdir()) == []


def test_an_unknown_digest_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        FileStore(tmp_path).open("0" * 64)


@pytest.mark.parametrize("bad", ["", "../../etc/passwd", "A" * 64, "0" * 63])
def test_anything_but_a_sha256_is_refused_as_an_address(tmp_path: Path, bad: str) -> None:
    with pytest.raises(StorageError, match="is not a sha256 digest"):
        FileStore(tmp_path).path_for(bad)


def test_a_missing_source_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        FileStore(tmp_path).put_file(tmp_path / "nope.pdf")


def test_an_unwritable_store_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "files"
    blocker.write_text("a file where the store's folder should be")
    with pytest.raises(StorageError, match="Could not write to the file store"):
        FileStore(blocker).put_bytes(b"x")


def _store_in(root: str, data: bytes, start: Any) -> str:
    """Store `data` in a store at `root` once every writer is ready (in a process of its own)."""
    start.wait()
    return FileStore(Path(root)).put_bytes(data).sha256


def test_writers_storing_the_same_content_at_once_all_succeed_with_one_whole_file(tmp_path: Path) -> None:
    # As hosts sharing one mounted folder would: separate processes, no lock between them.
    data = os.urandom(4 * 1024 * 1024)
    context = multiprocessing.get_context("spawn")
    start = context.Manager().Barrier(4)
    with ProcessPoolExecutor(4, mp_context=context) as pool:
        digests = list(pool.map(_store_in, [str(tmp_path)] * 4, [data] * 4, [start] * 4))
    assert digests == [hashlib.sha256(data).hexdigest()] * 4
    store = FileStore(tmp_path)
    assert list(store.digests()) == digests[:1]
    assert store.read_bytes(digests[0]) == data
    assert list((tmp_path / "tmp").iterdir()) == []


def test_without_hard_links_a_file_is_renamed_into_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    stored = FileStore(tmp_path).put_bytes(b"Statistik Daerah")
    assert stored.path.read_bytes() == b"Statistik Daerah"
    assert list((tmp_path / "tmp").iterdir()) == []
