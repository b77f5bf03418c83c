"""Contract: what every search engine keeps, replaces and forgets."""

from __future__ import annotations

from search.engine import Query, SearchEngine


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
