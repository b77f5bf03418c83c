"""The Whoosh index on disk: its analyzers, processes, segments and the write lock."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from search import analysis
from search.engine import IndexLockedError, PageQuery, Query
from search.whoosh.bulk import MAX_PROCS, BulkWriteFailed
from search.whoosh.engine import WhooshSearchEngine
from search.whoosh.query import IndexVocabulary
from search.whoosh.schema import INDEX_NAME, build_schema
from search.whoosh.scoring import posting_blocks

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[4]


def run_python(code: str, *args: str) -> str:
    """Run code in a new Python process and return what it printed."""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_the_schema_pickles_without_the_stemmer_or_its_dictionary():
    pickled = pickle.dumps(build_schema())

    assert len(pickled) < 10_000
    assert b"Sastrawi" not in pickled


def test_the_schema_pickle_names_the_module_level_stem_functions():
    pickled = pickle.dumps(build_schema())

    assert b"stem_indonesian" in pickled and b"stem_english" in pickled


def test_an_index_reopened_in_a_new_process_finds_by_stem(tmp_path, library):
    with WhooshSearchEngine(tmp_path) as engine:
        engine.index(library)

    printed = run_python(
        """
        import sys
        from whoosh import index
        from whoosh.query import Term
        ix = index.open_dir(sys.argv[1], indexname=sys.argv[2])  # analyzers from the index
        analyzer = ix.schema["body_id"].analyzer
        stem = [t.text for t in analyzer("kependudukan")][0]
        with ix.searcher() as searcher:
            found = sorted(searcher.stored_fields(d)["publication_id"]
                           for d in searcher.docs_for_query(Term("body_id", stem)))
        print(stem, *found)
        """,
        str(tmp_path),
        INDEX_NAME,
    )

    assert printed == "penduduk metro-2023 tuba-2022"


def test_another_process_searches_an_index_through_the_engine(tmp_path, library):
    with WhooshSearchEngine(tmp_path) as engine:
        engine.index(library)

    printed = run_python(
        """
        import sys
        from search.engine import Query
        from search.whoosh.engine import WhooshSearchEngine
        with WhooshSearchEngine(sys.argv[1]) as engine:
            print(*[h.publication_id for h in engine.search(Query("migrasi")).hits])
        """,
        str(tmp_path),
    )

    assert printed == "tuba-2022"


def test_whoosh_and_sastrawi_import_and_stem_without_warnings(tmp_path):
    printed = run_python(
        """
        import sys
        sys.pycache_prefix = sys.argv[1]  # compile afresh: warnings appear on compiling
        from search.analysis import stem_indonesian, stem_english
        import search.whoosh.engine
        print(stem_indonesian("pertumbuhan"), stem_english("rates"))
        """,
        str(tmp_path),
    )

    assert printed == "tumbuh rate"


def test_a_second_writer_gets_a_clear_error(tmp_path, library, make_doc):
    first = WhooshSearchEngine(tmp_path, lock_timeout=0.1)
    second = WhooshSearchEngine(tmp_path, lock_timeout=0.1)
    caught = []

    def docs_while_the_second_writer_tries():
        yield library[0]
        with pytest.raises(IndexLockedError, match="another process") as error:
            second.index([make_doc("other", "Laporan lain")])
        caught.append(error.value)
        yield library[1]

    first.index(docs_while_the_second_writer_tries())

    assert len(caught) == 1
    assert first.ids() == {library[0].publication_id, library[1].publication_id}
    first.close()
    second.close()


def test_searching_goes_on_while_a_writer_holds_the_lock(tmp_path, library):
    writer = WhooshSearchEngine(tmp_path)
    writer.index(library[:1])
    reader = WhooshSearchEngine(tmp_path)
    seen = []

    def docs_while_searching():
        seen.append(reader.search(Query("kepadatan")).total)
        yield library[1]

    writer.index(docs_while_searching())

    assert seen == [1]
    writer.close()
    reader.close()


def test_a_failed_indexing_run_leaves_the_index_unchanged(tmp_path, library):
    with WhooshSearchEngine(tmp_path) as engine:

        def docs_then_failure():
            yield library[0]
            raise RuntimeError("the database went away")

        with pytest.raises(RuntimeError):
            engine.index(docs_then_failure())

        assert engine.ids() == set()


def test_the_lock_is_released_after_a_failed_run(tmp_path, library):
    with WhooshSearchEngine(tmp_path, lock_timeout=0.1) as engine:
        with pytest.raises(ValueError):
            engine.index([library[0], library[0]])

        engine.index([library[0]])

        assert engine.ids() == {library[0].publication_id}


def test_a_publication_given_twice_in_one_call_is_rejected(tmp_path, library):
    with WhooshSearchEngine(tmp_path) as engine, pytest.raises(ValueError, match="twice"):
        engine.index([library[0], library[0]])


def test_a_searcher_sees_what_another_engine_committed(tmp_path, library):
    with WhooshSearchEngine(tmp_path) as reader, WhooshSearchEngine(tmp_path) as writer:
        assert reader.search(Query("migrasi")).total == 0

        writer.index(library)

        assert reader.search(Query("migrasi")).total == 1


def test_pages_are_found_in_publications_spread_over_several_segments(tmp_path, library):
    with WhooshSearchEngine(tmp_path) as engine:
        for doc in library:
            engine.index([doc])  # one commit each: several segments
        hit = engine.search(Query("kecamatan", filters={"office": ("1872",)})).hits

        assert len(whoosh_index.open_dir(tmp_path, indexname=INDEX_NAME).reader().leaf_readers()) > 1
        assert {h.publication_id: h.pages for h in hit} == {"metro-2023": (1, 2), "buah-2021": (1,)}


def test_the_fast_posting_reader_agrees_with_the_matcher_api(tmp_path, library):
    with WhooshSearchEngine(tmp_path) as engine:
        engine.index(library)
    ix = whoosh_index.open_dir(tmp_path, indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        # A term in two publications is not inlined: its matcher is the codec's own.
        assert type(reader.postings("body_exact", "kecamatan")).__name__ == "W3LeafMatcher"
        blocks = list(posting_blocks(reader.postings("body_exact", "kecamatan")))
        fast = [(d, w) for ids, weights in blocks for d, w in zip(ids, weights, strict=True)]
        public = list(reader.postings("body_exact", "kecamatan").items_as("weight"))

    assert fast == public


def test_an_index_of_another_schema_version_is_left_aside_for_a_rebuild(tmp_path, library):
    old = whoosh_index.create_in(tmp_path, build_schema(), indexname="pustaka_v0")
    with old.writer() as writer:
        writer.add_document(publication_id="stale", fingerprint="old")

    with WhooshSearchEngine(tmp_path) as engine:
        assert engine.ids() == set()
        engine.index(library[:1])

        assert engine.ids() == {library[0].publication_id}


def test_misspelt_words_read_their_letters_words_once_per_index_version(
    tmp_path: Path, library, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    spellings = IndexVocabulary._spellings
    monkeypatch.setattr(
        IndexVocabulary, "_spellings", lambda self, letter: read.append(letter) or spellings(self, letter)
    )
    with WhooshSearchEngine(tmp_path / "index") as engine:
        engine.index(library)
        first = engine.search(Query("migarsi"))
        again = engine.search(Query("migrsai"))  # another slip, the same first letter
        assert read == ["m"]
        engine.index(library[:1])  # a new index version: its words are read anew
        engine.search(Query("migarsi"))
    assert [h.publication_id for h in again.hits] == [h.publication_id for h in first.hits] == ["tuba-2022"]
    assert read == ["m", "m"]


def clones(library, times: int) -> list:
    """Return `times` copies of the library under new ids (enough documents to keep workers busy)."""
    return [replace(doc, publication_id=f"{doc.publication_id}-{n}") for n in range(times) for doc in library]


def test_a_rebuild_in_a_process_per_core_finds_what_one_process_finds(tmp_path, library):
    docs = clones(library, 5)
    queries = [Query(words) for words in ("penduduk", "kependudukan", '"migrasi masuk"', "pendudk", "anggur")]
    with (
        WhooshSearchEngine(tmp_path / "one") as one,
        WhooshSearchEngine(tmp_path / "many", bulk_pages=1) as many,
    ):
        one.rebuild(docs)
        many.rebuild(docs)

        segments = len(whoosh_index.open_dir(tmp_path / "many", indexname=INDEX_NAME).reader().leaf_readers())
        cores, jobs = len(os.sched_getaffinity(0)), -(-len(docs) // 8)
        assert segments == (1 if cores < 2 else min(cores, MAX_PROCS, jobs))  # a segment from each process
        assert many.ids() == one.ids() == {doc.publication_id for doc in docs}
        for query in queries:
            expected, found = one.search(query), many.search(query)
            assert [(h.publication_id, h.pages) for h in found.hits] == [
                (h.publication_id, h.pages) for h in expected.hits
            ]
            assert (found.total, found.suggestion) == (expected.total, expected.suggestion)


def test_a_failed_rebuild_in_processes_leaves_the_index_and_no_process_behind(tmp_path, library):
    with WhooshSearchEngine(tmp_path, bulk_pages=1, lock_timeout=0.1) as engine:
        engine.index(library)

        def docs_then_failure():
            yield from clones(library, 4)  # jobs handed to the processes, which are at work
            raise RuntimeError("the database went away")

        with pytest.raises(RuntimeError):
            engine.rebuild(docs_then_failure())

        assert multiprocessing.active_children() == []
        assert_unchanged(engine, library)


@pytest.mark.parametrize("exploding", [1, 200], ids=["one publication", "every publication"])
def test_a_rebuild_whose_process_dies_fails_and_keeps_the_old_index(
    tmp_path, library, monkeypatch, exploding
):
    # A word that kills the process analysing it (as a bug or a lack of memory would): the
    # rebuild must fail, not commit without that process's publications, nor wait for ever.
    with WhooshSearchEngine(tmp_path, bulk_pages=1, lock_timeout=0.1) as engine:
        engine.index(library)
        docs = clones(library, 40)
        for n in range(exploding):
            docs[n] = replace(docs[n], title=f"{docs[n].title} meledak")

        def stem(word: str) -> str:
            if word == "meledak":
                raise MemoryError("the process ran out")
            return word

        monkeypatch.setattr(analysis, "stem_indonesian", stem)  # what the processes will unpickle
        with pytest.raises(BulkWriteFailed):
            engine.rebuild(docs)
        monkeypatch.undo()

        assert multiprocessing.active_children() == []
        assert_unchanged(engine, library)


def assert_unchanged(engine, library) -> None:
    """Assert the engine holds the library as before, its page texts too, and lets a writer in."""
    assert engine.ids() == {doc.publication_id for doc in library}
    assert engine.search(Query("migrasi")).total == 1
    assert [hit.number for hit in engine.search_pages(PageQuery("tuba-2022", "migrasi")).pages] == [2]
    engine.rebuild(library[:1])  # the lock was let go
    assert engine.ids() == {library[0].publication_id}
