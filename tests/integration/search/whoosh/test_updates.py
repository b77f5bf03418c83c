"""A long-lived Whoosh engine searching an index that another engine keeps updating."""

from __future__ import annotations

import gc
import os
import threading
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

import search.whoosh.cache
from search.answers import AnswerDoc
from search.engine import FACET_FIELDS, Query
from search.whoosh.answers import WhooshAnswerIndex
from search.whoosh.engine import WhooshSearchEngine
from search.whoosh.schema import INDEX_NAME

pytestmark = pytest.mark.integration

PUBLICATIONS = 10
UPDATES = 70


@pytest.fixture
def shelf(tmp_path, make_doc):
    """Return a writer and a reader engine on one index of ten publications, and a doc maker."""

    def version(n: int, publication: int = 0):
        return make_doc(
            f"pub-{publication}",
            f"Statistik Penduduk {publication}",
            *[f"Jumlah penduduk menurut kecamatan, halaman {page}." for page in range(1, 6)],
            fingerprint=f"v{n}",
            year=2000 + publication,
            subject="Kependudukan",
        )

    with WhooshSearchEngine(tmp_path, lock_timeout=1) as writer, WhooshSearchEngine(tmp_path) as reader:
        writer.index(version(0, p) for p in range(PUBLICATIONS))
        yield writer, reader, version


def segment_ids(folder: Path) -> set[str]:
    """Return the ids of the segments of the latest version of the index."""
    with whoosh_index.open_dir(folder, indexname=INDEX_NAME).reader() as reader:
        return {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}


def open_files() -> int:
    """Return how many file descriptors this process holds, once garbage is collected."""
    # Whoosh's writer leaves reference cycles holding segment files until a collection.
    gc.collect()
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def no_garbage_collection():
    """Turn off the cycle collector for the test."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_a_reader_counts_each_publication_once_after_every_update(shelf, tmp_path):
    writer, reader, version = shelf
    most_segments = 0

    for n in range(1, UPDATES + 1):
        writer.index([version(n)])
        most_segments = max(most_segments, len(segment_ids(tmp_path)))

        results = reader.search(Query("penduduk"))
        assert results.total == PUBLICATIONS, f"after update {n}"
        assert reader.search(Query("")).total == PUBLICATIONS, f"after update {n}"
        assert dict(results.facets["year"]) == {str(2000 + p): 1 for p in range(PUBLICATIONS)}
        assert reader.fingerprints()["pub-0"] == f"v{n}"
    # Merges happened along the way: far fewer segments than commits.
    assert most_segments < UPDATES // 4


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="counts Linux file descriptors")
def test_a_reader_does_not_hold_more_files_as_updates_go_on(shelf):
    writer, reader, version = shelf
    for n in range(1, 11):
        writer.index([version(n)])
        reader.search(Query("penduduk"))
    before = open_files()

    for n in range(11, UPDATES + 11):
        writer.index([version(n)])
        reader.search(Query("penduduk"))

    # A few more segments may be open than before, never one more per update.
    assert open_files() - before < 10


@pytest.mark.slow
def test_threads_searching_during_updates_always_count_each_publication_once(shelf):
    writer, reader, version = shelf
    updating = threading.Event()
    updating.set()
    totals: list[int] = []
    errors: list[BaseException] = []

    def search_while_updating():
        try:
            while updating.is_set():
                totals.append(reader.search(Query("penduduk kecamatan")).total)
                totals.append(reader.search(Query("", filters={"subject": ("Kependudukan",)})).total)
        except BaseException as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)

    threads = [threading.Thread(target=search_while_updating) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for n in range(1, UPDATES + 1):
            writer.index([version(n, publication=n % 3)])
    finally:
        updating.clear()
        for thread in threads:
            thread.join()

    assert errors == []
    assert len(totals) > len(threads) * 2
    assert set(totals) == {PUBLICATIONS}


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="counts Linux file descriptors")
def test_searchers_of_threads_that_ended_are_closed(shelf):
    writer, reader, version = shelf
    reader.search(Query("penduduk"))
    before = open_files()

    for n in range(1, 31):
        writer.index([version(n)])
        thread = threading.Thread(target=reader.search, args=(Query("penduduk"),))
        thread.start()
        thread.join()
    writer.index([version(31)])
    reader.search(Query("penduduk"))

    assert open_files() - before < 10


def test_a_replaced_searcher_is_freed_without_waiting_for_the_cycle_collector(shelf, no_garbage_collection):
    writer, reader, version = shelf
    reader.search(Query("penduduk"))
    writer.index([version(1)])
    gc.collect()  # the writer's garbage; the reader's searcher is still in use

    reader.search(Query("penduduk"))

    # A closed searcher left in memory keeps its segment files mapped until a collection.
    assert [o for o in gc.get_objects() if isinstance(o, Searcher) and o.is_closed] == []


def test_after_an_update_facets_are_computed_only_for_the_new_segments(shelf, monkeypatch, tmp_path):
    writer, reader, version = shelf
    reader.search(Query("penduduk"))
    known = segment_ids(tmp_path)
    computed: list[str] = []
    postings = search.whoosh.cache._postings

    def counting_postings(segment_reader, field):
        computed.append(segment_reader.segment().segment_id())
        return postings(segment_reader, field)

    monkeypatch.setattr(search.whoosh.cache, "_postings", counting_postings)
    writer.index([version(1)])
    reader.search(Query("penduduk"))

    new = segment_ids(tmp_path) - known
    assert new
    assert set(computed) == new
    assert len(computed) == len(new) * len(FACET_FIELDS)


def test_a_kept_answer_is_given_again_only_while_the_index_is_unchanged(shelf):
    writer, reader, version = shelf
    query = Query(text="penduduk", filters={"year": ("2003",)})
    first = reader.search(query)
    assert reader.search(Query(text="penduduk", filters={"year": ("2003",)})) is first
    assert reader.search(Query(text="penduduk", filters={"year": ("2004",)})) is not first

    writer.index([version(1, 3)])  # another engine (another process) changes the publication
    again = reader.search(query)
    assert again is not first
    assert again.total == first.total == 1


def test_a_typo_is_looked_up_again_in_the_new_version_of_the_index(shelf, make_doc):
    writer, reader, _ = shelf
    assert reader.search(Query(text="inflasy")).total == 0  # nothing near it yet: kept as such
    writer.index([make_doc("pub-inflation", "Inflasi Kota Metro", "Laju inflasi bulanan.", fingerprint="i1")])
    found = reader.search(Query(text="inflasy"))
    assert [hit.publication_id for hit in found.hits] == ["pub-inflation"]


def test_a_settled_index_folder_still_shows_the_next_version(shelf, tmp_path):
    writer, reader, _ = shelf
    assert reader.search(Query(text="penduduk")).total == PUBLICATIONS  # the page texts' files open
    long_ago = time.time() - 60
    os.utime(tmp_path, (long_ago, long_ago))  # settled: its time alone says the version is current
    assert reader.search(Query(text="penduduk", page=3)).total == PUBLICATIONS
    assert reader.search(Query(text="penduduk", page=2)).total == PUBLICATIONS
    writer.delete(["pub-0"])  # another engine writes: the folder's time changes
    assert reader.search(Query(text="penduduk")).total == PUBLICATIONS - 1


def test_a_settled_answers_folder_still_shows_the_next_answers(tmp_path):
    folder = tmp_path / "answers"
    writer, reader = WhooshAnswerIndex(folder), WhooshAnswerIndex(folder)
    try:
        writer.index([AnswerDoc("1", "Cara meminta data inflasi", "Harga", "Isi formulir permintaan data.")])
        long_ago = time.time() - 60
        os.utime(folder, (long_ago, long_ago))
        assert [hit.answer_id for hit in reader.search("inflasi")] == ["1"]
        assert [hit.answer_id for hit in reader.search("inflasi")] == ["1"]
        writer.index([AnswerDoc("2", "Data inflasi bulanan", "Harga", "Inflasi diumumkan tiap bulan.")])
        assert sorted(hit.answer_id for hit in reader.search("inflasi")) == ["1", "2"]
    finally:
        writer.close()
        reader.close()


def test_words_no_answer_holds_change_neither_the_answers_found_nor_their_scores(tmp_path):
    answers = WhooshAnswerIndex(tmp_path / "answers")
    try:
        answers.index(
            [
                AnswerDoc("1", "Cara meminta data inflasi", "Harga", "Isi formulir permintaan data."),
                AnswerDoc("2", "Data inflasi bulanan", "Harga", "Inflasi diumumkan tiap bulan."),
                AnswerDoc("3", "Jumlah penduduk", "Kependudukan", "Lihat publikasi Dalam Angka."),
            ]
        )
        alone = answers.search("inflasi data")
        assert sorted(hit.answer_id for hit in alone) == ["1", "2"]
        assert answers.search("inflasi zqxjvw data kapal") == alone  # the same hits, the same scores
        assert answers.search("zqxjvw kapal") == []
    finally:
        answers.close()
