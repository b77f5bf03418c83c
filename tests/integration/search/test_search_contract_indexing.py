"""Contract: what every search engine keeps, replaces and forgets."""

from __future__ import annotations

import pytest

from search.engine import PageQuery, Query, SearchEngine


def test_engine_satisfies_the_search_engine_protocol(engine):
    assert isinstance(engine, SearchEngine)


def test_indexed_publications_are_listed_by_id(indexed, library):
    assert indexed.ids() == {doc.publication_id for doc in library}


def test_fingerprints_are_returned_for_each_publication(indexed, library):
    assert indexed.fingerprints() == {doc.publication_id: doc.fingerprint for doc in library}


def test_indexing_a_publication_again_replaces_it(indexed, make_doc):
    replacement = make_doc("metro-2023", "Statistik Kesejahteraan", "Rumah layak huni.", fingerprint="new")

    indexed.index([replacement])

    assert indexed.fingerprints()["metro-2023"] == "new"
    assert indexed.search(Query("kesejahteraan")).total == 1
    assert indexed.search(Query("kepadatan")).total == 0


def test_replacing_a_publication_does_not_duplicate_it(indexed, library):
    indexed.index([library[0]])

    assert indexed.search(Query("kepadatan")).total == 1


def test_deleted_publications_are_no_longer_found(indexed):
    indexed.delete(["metro-2023"])

    assert "metro-2023" not in indexed.ids()
    assert "metro-2023" not in {hit.publication_id for hit in indexed.search(Query("")).hits}


def test_deleting_an_unknown_id_is_ignored(indexed, library):
    indexed.delete(["no-such-publication"])

    assert len(indexed.ids()) == len(library)


def test_clear_removes_every_publication(indexed):
    indexed.clear()

    assert indexed.ids() == set()
    assert indexed.search(Query("")).total == 0


def test_an_empty_engine_finds_nothing(engine):
    results = engine.search(Query("penduduk"))

    assert (results.total, results.hits, results.suggestion) == (0, [], None)


def test_a_rebuild_holds_what_it_was_given_and_nothing_from_before(indexed, library, make_doc):
    newcomer = make_doc("baru-2024", "Statistik Pariwisata 2024", "Kunjungan wisatawan mancanegara.")

    indexed.rebuild(iter([*library[1:], newcomer]))

    assert indexed.ids() == {doc.publication_id for doc in library[1:]} | {"baru-2024"}
    assert indexed.search(Query("kepadatan")).total == 0  # the publication left out is gone
    assert indexed.search(Query("wisatawan")).total == 1
    assert indexed.search(Query("migrasi")).total == 1  # those given again are there once
    pages = indexed.search_pages(PageQuery("baru-2024", "wisatawan"))
    assert [hit.number for hit in pages.pages] == [1]


def test_a_rebuild_finds_what_indexing_one_by_one_finds(engine, library):
    engine.rebuild(library)
    rebuilt = {q: _found(engine, q) for q in QUERIES}
    engine.clear()
    for doc in library:
        engine.index([doc])

    assert {q: _found(engine, q) for q in QUERIES} == rebuilt
    assert all(rebuilt[q] for q in ("penduduk", "kependudukan", "hortikultura"))


def test_a_rebuild_given_a_publication_twice_changes_nothing(indexed, library):
    with pytest.raises(ValueError, match="twice"):
        indexed.rebuild([library[0], library[0]])

    assert indexed.ids() == {doc.publication_id for doc in library}
    assert indexed.search(Query("kepadatan")).total == 1


QUERIES = ("penduduk", "kependudukan", "hortikultura", '"migrasi masuk"', "kecamatan", "pendudk")


def _found(engine, words: str) -> tuple:
    results = engine.search(Query(words))
    return results.total, [hit.publication_id for hit in results.hits], results.suggestion
