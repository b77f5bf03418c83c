"""The PostgreSQL engine finds what the Whoosh engine finds, on a seeded corpus of statistical pages.

Both engines share the query language and the analysis; they rank with different formulas
(BM25F in Whoosh, ts_rank in PostgreSQL), so the hits are compared as sets, with their pages.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from benchmarks._search_corpus import build_corpus
from search.engine import MAX_PER_PAGE, PageQuery, Query
from search.postgres import query as postgres_query
from search.postgres.engine import PostgresSearchEngine
from search.whoosh.engine import WhooshSearchEngine
from tests.conftest import postgres_schema

pytestmark = pytest.mark.integration

CORPUS = build_corpus(800, seed=18)  # 20 publications, two of them in English
# Two publications whose pages only staff may search.
DOCS = [replace(doc, pages_closed=True) if n in (1, 4) else doc for n, doc in enumerate(CORPUS.docs)]
MIDDLE = DOCS[len(DOCS) // 2]
CLOSED = DOCS[1]

QUERIES = [
    Query(""),
    Query("penduduk"),
    Query("kependudukan"),
    Query("jumlah penduduk"),
    Query("tingkat pengangguran terbuka"),
    Query("pengangguran"),
    Query("anggur"),
    Query("kecamatan menggala"),
    Query('"indeks harga konsumen"'),
    Query('"harga konsumen indeks"'),
    Query('"jumlah rumah tangga"'),
    Query("pendud*"),
    Query("ekspor*"),
    Query("pendudk"),
    Query("pengangguan terbuka"),
    Query("kepadatn"),
    Query("populasi ternak"),
    Query("unemployment"),
    Query("unemployed poverty"),
    Query("inflasi", sort="newest"),
    Query("penduduk", filters={"year": (str(DOCS[0].year), str(DOCS[2].year))}),
    Query("produksi", filters={"subject": (DOCS[3].subject,), "language": ("id",)}),
    Query(filters={"language": ("en",)}),
    Query(MIDDLE.katalog_bps),
    Query(f"ISSN {MIDDLE.issn}"),
    Query(MIDDLE.nomor_publikasi),
    Query("zzqx"),
    Query("mugrasu"),
    Query("pwndudyk"),  # two slips: no match, a suggestion
    Query("penduduk", within_publication=MIDDLE.publication_id),
    Query("penduduk", closed_text=True),
    Query('"kelapa sawit"', closed_text=True),
    Query("penduduk", within_publication=CLOSED.publication_id),
    Query("penduduk", within_publication=CLOSED.publication_id, closed_text=True),
    # Nothing holds every word: answered without one (`search.partial`), the same one on both.
    Query("penduduk zzqx", partial=True),
    Query("zzqx tingkat pengangguran terbuka", partial=True),
    Query("neraca perdagangan", partial=True),  # either word alone finds some: the same one wins
    Query("pertanian transportasi", partial=True),
    Query("pendud* mugrasu", partial=True),
    Query("kecamatan menggala zzqx", partial=True, closed_text=True),
    Query("unemployment zzqx", filters={"language": ("en",)}, partial=True, sort="newest"),
    Query(f"{MIDDLE.katalog_bps} zzqx", partial=True),
    Query('"indeks harga konsumen" zzqx', partial=True),  # a quoted phrase is never answered in part
    Query("penduduk zzqx"),  # nor a query that does not ask for it
]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """Return the Whoosh and the PostgreSQL engine, each holding the corpus."""
    with postgres_schema("search_agree", migrated=False) as url:
        folder = tmp_path_factory.mktemp("whoosh")
        with WhooshSearchEngine(folder) as whoosh, PostgresSearchEngine(url) as postgres:
            whoosh.rebuild(DOCS)
            postgres.rebuild(DOCS)
            yield whoosh, postgres


def answer(engine, query: Query) -> tuple:
    """Return what must agree: total, facets, suggestion, correction, every hit with its pages, and
    the words a partial answer leaves out."""
    results = engine.search(replace(query, per_page=MAX_PER_PAGE))
    hits = {(hit.publication_id, hit.title, hit.pages) for hit in results.hits}
    return results.total, results.facets, results.suggestion, results.corrected, hits, results.left_out


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: repr(q.text) + (" staff" if q.closed_text else ""))
def test_postgres_finds_what_whoosh_finds(engines, query):
    whoosh, postgres = engines

    assert answer(postgres, query) == answer(whoosh, query)


@pytest.mark.parametrize("query", [q for q in QUERIES if q.text], ids=lambda q: repr(q.text))
def test_both_ways_of_scoring_on_postgres_rank_alike(engines, query, monkeypatch):
    _, postgres = engines

    def ranked(one_pass_terms: int) -> tuple:
        monkeypatch.setattr(postgres_query, "ONE_PASS_TERMS", one_pass_terms)
        results = postgres.search(replace(query, per_page=MAX_PER_PAGE))
        return results.total, results.facets, [(h.publication_id, round(h.score, 4)) for h in results.hits]

    assert ranked(1_000) == ranked(0)


@pytest.mark.parametrize("closed_text", [False, True])
def test_postgres_lists_the_pages_inside_a_publication_as_whoosh_does(engines, closed_text):
    whoosh, postgres = engines
    largest = max(DOCS, key=lambda doc: len(doc.pages))

    for publication in (largest, CLOSED):
        query = PageQuery(publication.publication_id, "penduduk", closed_text=closed_text, per_page=50)
        assert postgres.search_pages(query) == whoosh.search_pages(query)


@pytest.mark.parametrize(
    "query", [q for q in QUERIES if q.partial and '"' not in q.text], ids=lambda q: repr(q.text)
)
def test_the_queries_nothing_answers_whole_are_answered_in_part_by_both(engines, query):
    for engine in engines:
        results = engine.search(query)
        assert results.total and results.left_out
