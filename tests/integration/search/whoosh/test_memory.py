"""Searchers in many threads read one map of each segment file, and copy none of it."""

from __future__ import annotations

import gc
import io
import os
import random
import threading
import tracemalloc

import pytest

from search.engine import Query
from search.whoosh import memory as whoosh_memory
from search.whoosh.engine import WhooshSearchEngine

pytestmark = pytest.mark.integration
THREADS = 8


def segment_bytes(folder) -> int:
    return sum(path.stat().st_size for path in folder.glob("*.seg"))


def test_threads_searching_share_the_segment_and_copy_none_of_it(tmp_path, make_doc):
    # Many different words: a term index and postings of a few MB, as a real catalogue has.
    docs = [
        make_doc(
            f"pub-{p}",
            f"Statistik {p}",
            *[" ".join(f"kata{p}x{page}x{i}" for i in range(150)) for page in range(4)],
        )
        for p in range(50)
    ]
    with WhooshSearchEngine(tmp_path) as writer:
        writer.index(docs)
    size = segment_bytes(tmp_path)
    assert size > 2_000_000
    (segment,) = tmp_path.glob("*.seg")
    searched, checked = threading.Barrier(THREADS + 1), threading.Event()

    def search(n: int) -> None:
        reader.search(Query(text=f"kata{n}x1x{n} statistik"))
        searched.wait()  # every thread's searcher open at once
        checked.wait()

    with WhooshSearchEngine(tmp_path) as reader:
        tracemalloc.start()
        threads = [threading.Thread(target=search, args=(n,)) for n in range(THREADS)]
        try:
            for thread in threads:
                thread.start()
            searched.wait(timeout=60)
            grown = tracemalloc.get_traced_memory()[0]
            readers = whoosh_memory.MAPS.readers_of(segment)
        finally:
            checked.set()
            for thread in threads:
                thread.join()
            tracemalloc.stop()
        # A copy of the segment per searcher was THREADS x size; what is left is the searchers' own.
        assert grown < size / 2, f"{THREADS} searchers hold {grown:,} bytes of a {size:,}-byte segment"
        assert readers >= THREADS  # one map of the file, read by every thread's searcher
    assert whoosh_memory.MAPS.readers_of(segment) == 0  # the engine closed: unmapped


def file_range(tmp_path, data: bytes, before: bytes = b"") -> whoosh_memory.FileRange:
    """Return a range over `data`, written in a file after `before`."""
    path = tmp_path / "part"
    path.write_bytes(before + data + b"after")
    with open(path, "rb") as file:
        opened = whoosh_memory.OpenFile(os.dup(file.fileno()))
    return whoosh_memory.FileRange(opened, 0, len(before + data + b"after")).part(len(before), len(data))


@pytest.mark.parametrize("size", [None, -1, 0, 1, 5, 100])
@pytest.mark.parametrize("kind", ["view", "range"])
def test_a_view_file_reads_as_a_bytes_file_does(size, kind, tmp_path):
    data = b"first line\nsecond\n\nno newline at the end"
    buffer = memoryview(data) if kind == "view" else file_range(tmp_path, data, b"before")
    view, copy = whoosh_memory.ViewFile(buffer), io.BytesIO(data)
    for file in (view, copy):
        file.seek(3)
    assert view.readline(size) == copy.readline(size)
    assert view.read(size) == copy.read(size)
    assert view.tell() == copy.tell()
    assert view.seek(-4, io.SEEK_END) == copy.seek(-4, io.SEEK_END)
    assert view.read() == copy.read()
    assert view.read(3) == copy.read(3) == b""


def resident_kb(path) -> int:
    """Return how much of a mapped file is in this process's resident set (kB, /proc/self/smaps)."""
    total, inside = 0, False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            first = line.split(maxsplit=1)[0]
            if "-" in first and not first.endswith(":"):  # a mapping's header line
                inside = line.rstrip().endswith(str(path))
            elif inside and first == "Rss:":
                total += int(line.split()[1])
    return total


@pytest.mark.slow
def test_the_index_pages_searches_touched_leave_the_resident_set_and_come_back(tmp_path, make_doc):
    text = lambda p: " ".join(f"kata{p}x{i}" for i in range(2000))  # noqa: E731
    docs = [make_doc(f"pub-{p}", f"Statistik {p}", text(p)) for p in range(60)]
    with WhooshSearchEngine(tmp_path) as writer:
        writer.index(docs)
    (segment,) = tmp_path.glob("*.seg")
    with WhooshSearchEngine(tmp_path) as reader:
        for p in range(60):
            assert reader.search(Query(text=f"kata{p}x{p * 7}")).total == 1
        assert resident_kb(segment) > 0
        assert whoosh_memory.MAPS.release_resident() >= 1
        assert resident_kb(segment) == 0
        assert [hit.publication_id for hit in reader.search(Query(text="kata5x99")).hits] == ["pub-5"]
        assert resident_kb(segment) > 0  # read again from the file cache


def test_a_storage_dropped_unclosed_releases_its_map(tmp_path, make_doc):
    # Whoosh drops the storages it opened, unclosed, when a segment file vanishes while it
    # opens a reader (another process merged it away); it tries again, then gives up here.
    from whoosh import index as whoosh_index

    from search.whoosh.documents import document_fields
    from search.whoosh.schema import INDEX_NAME

    with WhooshSearchEngine(tmp_path) as writer:
        writer.index([make_doc("pub-1", "Statistik Penduduk", "Jumlah penduduk.")])
    (kept,) = tmp_path.glob("*.seg")
    raw = whoosh_index.open_dir(tmp_path, indexname=INDEX_NAME).writer()
    raw.add_document(**document_fields(make_doc("pub-2", "Statistik Harga", "Indeks harga.")))
    raw.commit(merge=False)  # a second segment
    (vanished,) = set(tmp_path.glob("*.seg")) - {kept}
    vanished.unlink()
    with pytest.raises(OSError):
        whoosh_index.open_dir(tmp_path, indexname=INDEX_NAME).reader()
    gc.collect()
    assert whoosh_memory.MAPS.readers_of(kept) == 0


def test_each_threads_page_reader_keeps_a_small_cache_of_its_own(tmp_path) -> None:
    from search.engine import PageText
    from search.whoosh.page_store import READER_CACHE_KIB, PageStore

    store = PageStore(tmp_path / "pages.sqlite")
    with store.writing() as writer:
        writer.replace("pub-1", [PageText(1, "jumlah penduduk")])
    sizes: list[int] = []

    def read() -> None:
        assert store.text("pub-1", 1) == "jumlah penduduk"
        sizes.append(store._reader().execute("PRAGMA cache_size").fetchone()[0])

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    assert sizes == [-READER_CACHE_KIB] * 3  # KiB, not SQLite's 2 MB default in every thread


def test_threads_searching_one_version_share_its_lengths_and_facets_and_a_new_version_has_its_own(
    tmp_path, make_doc
):
    with WhooshSearchEngine(tmp_path) as writer:
        writer.index([make_doc(f"pub-{p}", f"Statistik {p}", "Jumlah penduduk kota.") for p in range(5)])
    seen: list[tuple] = []

    def search(found: int = 5) -> None:
        assert reader.search(Query(text="penduduk")).total == found
        view = reader._view()  # this thread's searcher of the latest version
        seen.append((view.searcher, view.facet_sets(), view.field_lengths("body_id"), view.live()))

    with WhooshSearchEngine(tmp_path) as reader:
        # One thread after another: two computing a part at the same moment each keep their own
        # (by design, nothing waits), which made this check fail on a busy machine.
        threads = [threading.Thread(target=search) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
            thread.join()
        searchers, facets, lengths, live = zip(*seen, strict=True)
        assert len({id(s) for s in searchers}) == THREADS  # a searcher per thread ...
        for shared in (facets, lengths, live):  # ... and one copy of what they compute alike
            assert all(part is shared[0] for part in shared)
        with WhooshSearchEngine(tmp_path) as other_writer:
            other_writer.index([make_doc("pub-9", "Statistik 9", "Jumlah penduduk desa.")])
        search(6)  # the new version: parts of its own, counting the new publication
        assert seen[-1][1] is not facets[0] and len(seen[-1][3]) == 6


def test_a_file_range_slices_as_the_bytes_do_within_and_across_its_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(whoosh_memory, "BLOCK", 64)
    monkeypatch.setattr(whoosh_memory, "BLOCKS", 3)
    data = random.Random(5).randbytes(1000)
    read = file_range(tmp_path, data, b"x" * 37)  # the part starts inside the file's first block
    chooser = random.Random(6)
    for _ in range(2000):
        start = chooser.randrange(-50, 1100)
        stop = start + chooser.choice([1, 2, 4, 8, 63, 64, 65, 200, 1500])
        assert read[start:stop] == data[start:stop]
    assert len(read) == len(data) and read[990:2000] == data[990:] and read[5:5] == b""
    assert len(read._blocks) <= 3  # the last blocks read, not the part


@pytest.mark.slow
def test_a_large_part_is_read_with_pread_and_leaves_nothing_resident(tmp_path, make_doc, monkeypatch):
    text = lambda p: " ".join(f"kata{p}x{i}" for i in range(2000))  # noqa: E731
    docs = [make_doc(f"pub-{p}", f"Statistik {p}", text(p)) for p in range(60)]
    with WhooshSearchEngine(tmp_path) as writer:
        writer.index(docs)
    (segment,) = tmp_path.glob("*.seg")
    found, resident = {}, {}
    for limit in (2**62, 64 * 1024):  # every part through the map; then the larger parts with pread
        monkeypatch.setattr(whoosh_memory, "PREAD_FROM", limit)
        with WhooshSearchEngine(tmp_path) as reader:
            whoosh_memory.MAPS.release_resident()
            found[limit] = [
                (
                    answer.total,
                    answer.corrected,
                    [(hit.publication_id, hit.pages, hit.snippet_html) for hit in answer.hits],
                )
                for answer in map(
                    reader.search,
                    map(Query, ["kata5x99", "statistik", "kata7x1 kata7x2", "statistk", "kata9x1999"]),
                )
            ]
            resident[limit] = resident_kb(segment)
            # This segment's descriptor, not the process's count: an earlier test's storages (an
            # app dropped, not yet collected) may still hold segments of their own open here.
            assert whoosh_memory.MAPS.holds_open(segment)  # one descriptor of the segment, shared
        assert not whoosh_memory.MAPS.holds_open(segment)  # closed with the searchers reading it
    assert found[2**62] == found[64 * 1024]
    assert [total for total, _, _ in found[2**62]] == [1, 60, 1, 60, 1] and found[2**62][3][1] == "statistik"
    # Through the map, the postings' and term index's pages; with pread, the small parts' only.
    assert resident[64 * 1024] < resident[2**62] / 10, resident
