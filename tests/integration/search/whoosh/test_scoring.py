"""The array scorer gives the BM25 score of the formula; kept posting blocks locate the same pages."""

from __future__ import annotations

import math
import random

import pytest

from search.clauses import parse
from search.querying import resolve
from search.whoosh.engine import WhooshSearchEngine
from search.whoosh.pages import KeptBlocks, _decoded, _Leaf, _values_at, locate
from search.whoosh.query import IndexVocabulary, TermRef, plan
from search.whoosh.scoring import K1, B, Scorer

pytestmark = pytest.mark.integration
QUERIES = (
    "penduduk",
    "inflasi penduduk",
    "statistik kota",
    '"dalam angka"',
    "pendud*",
    "produksi padi sawah",
    "kemiskinan OR inflasi",
    "tidakadakatainidimanapun",
)


def formula(view, ref: TermRef) -> dict[int, float]:
    """Return the term's BM25 scores read through Whoosh's public matcher, one posting at a time."""
    frequency = view.doc_frequency(ref.field, ref.text)
    if not frequency:
        return {}
    count = max(1, view.searcher.doc_count())
    idf = math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))
    average = max(1.0, view.searcher.reader().field_length(ref.field) / count)
    lengths = view.field_lengths(ref.field)
    scores = {}
    for leaf, offset in view.leaves:
        if (ref.field, ref.text) not in leaf:
            continue
        matcher = leaf.postings(ref.field, ref.text)
        while matcher.is_active():
            docnum, tf = matcher.id() + offset, matcher.weight()
            length = lengths[docnum]
            scores[docnum] = ref.boost * idf * (K1 + 1) * tf / (tf + K1 * (1 - B + B * length / average))
            matcher.next()
    return scores


def expected(view, plans) -> dict[int, float]:
    """Return what every clause's alternatives sum to, for the documents matching every clause."""
    total: dict[int, float] | None = None
    for alternatives in plans:
        clause: dict[int, float] = {}
        for alternative in alternatives:
            scored = [formula(view, ref) for ref in alternative]
            both = set.intersection(*(set(s) for s in scored)) if scored else set()
            for docnum in both:
                clause[docnum] = clause.get(docnum, 0.0) + sum(s[docnum] for s in scored)
        total = clause if total is None else {d: s + clause[d] for d, s in total.items() if d in clause}
    return total or {}


@pytest.mark.parametrize("closed_text", [False, True])
def test_scores_over_several_segments_are_the_formulas(tmp_path, library, make_doc, closed_text) -> None:
    extra = [
        make_doc(f"tambahan-{n}", f"Statistik Kota {n}", f"penduduk kota {n} inflasi", "produksi padi sawah")
        for n in range(6)
    ]
    with WhooshSearchEngine(tmp_path / "index") as engine:
        engine.index(library)
        engine.index(extra[:3])  # each call writes a segment of its own
        engine.index(extra[3:])
        view = engine._view()
        assert len(view.leaves) >= 2
        vocabulary = IndexVocabulary(view.searcher.reader(), closed_text)
        for text in QUERIES:
            plans = plan(resolve(parse(text), vocabulary), closed_text)
            got, want = Scorer(view).evaluate(plans), expected(view, plans)
            assert got.keys() == want.keys(), text
            assert all(math.isclose(got[d], want[d], rel_tol=1e-9) for d in want), text
        assert any(Scorer(view).evaluate(plan(resolve(parse(q), vocabulary), closed_text)) for q in QUERIES)


def test_pages_located_through_kept_blocks_are_the_pages_read_from_the_index(tmp_path, library, make_doc):
    pages = [f"halaman {n} penduduk bekerja" if n % 3 else f"inflasi bulan {n}" for n in range(300)]
    long_ones = [make_doc(f"panjang-{n}", f"Publikasi {n}", *pages) for n in range(4)]
    # More publications than a posting block holds (Whoosh: 128), so wanted ones lie in later blocks.
    many = [make_doc(f"kecil-{n}", f"Kota {n}", f"penduduk kota {n}", "inflasi") for n in range(400)]
    with WhooshSearchEngine(tmp_path / "index") as engine:
        engine.index(library)
        engine.index([*many[:200], *long_ones, *many[200:]])
        view = engine._view()
        vocabulary = IndexVocabulary(view.searcher.reader())
        kept = KeptBlocks(budget=50_000)  # smaller than the blocks read: some are dropped, read again
        docnums = sorted(view.live())
        for text in (*QUERIES, "bekerja penduduk", "inflasi", "penduduk"):
            resolved = resolve(parse(text), vocabulary)
            if not resolved:
                continue
            fresh = locate(view.searcher, docnums, resolved)
            for _ in range(2):  # decoded, then (mostly) kept
                assert locate(view.searcher, docnums, resolved, kept=kept, version=view.version) == fresh, (
                    text
                )
        assert kept._blocks.hits and kept._blocks.misses


def test_the_values_of_chosen_documents_are_read_past_the_blocks_before_them(tmp_path, make_doc) -> None:
    many = [
        make_doc(f"kecil-{n}", f"Kota {n}", f"penduduk kota {n}", f"penduduk {n % 7}") for n in range(700)
    ]
    with WhooshSearchEngine(tmp_path / "index") as engine:
        engine.index(many)
        view = engine._view()
        (reader, _), *_ = view.leaves
        everything, matcher = [], reader.postings("pages_id", "penduduk")
        while matcher.is_active():  # Whoosh's public reading, one posting at a time
            everything.append((matcher.id(), matcher.value()))
            matcher.next()
        assert len(everything) == 700
        chooser = random.Random(3)
        for kept in (None, KeptBlocks(budget=20_000)):
            read = kept.reader(view.version, reader.segment().segment_id()) if kept else _decoded
            for size in (1, 3, 40, 700):
                wanted = sorted(chooser.sample(range(720), size))  # some beyond the last document
                got = list(_values_at(_Leaf(reader, read), reader.postings("pages_id", "penduduk"), wanted))
                assert got == [(d, v) for d, v in everything if d in set(wanted)]


def test_a_tally_of_the_clauses_gives_the_scores_of_the_whole_query_and_of_it_without_a_piece(
    tmp_path, library, make_doc
) -> None:
    extra = [make_doc(f"kota-{n}", f"Statistik Kota {n}", f"penduduk kota {n}", "inflasi") for n in range(4)]
    with WhooshSearchEngine(tmp_path / "index") as engine:
        engine.index([*library, *extra])
        view = engine._view()
        vocabulary = IndexVocabulary(view.searcher.reader())
        found = 0
        for text in (*QUERIES, "penduduk tidakadakatainidimanapun", "inflasi padi"):
            plans = plan(resolve(parse(text), vocabulary))
            pieces = [(index,) for index in range(len(plans))]
            if len(pieces) < 2:  # a query of one piece is never answered without it
                continue
            tally = Scorer(view).tally(plans, pieces)
            assert tally.everywhere(()) == Scorer(view).evaluate(plans), text  # the same floats
            for piece, docs in zip(pieces, tally.short_of_one(pieces), strict=True):
                rest = [p for index, p in enumerate(plans) if (index,) != piece]
                without = Scorer(view).evaluate(rest)  # the query without the piece, searched alone
                lacking = set(without) - set(Scorer(view).evaluate(plans))
                assert set(docs.tolist()) == lacking, text
                assert tally.without(piece, docs, ()) == {d: without[d] for d in lacking}, text
                found += len(lacking)
        assert found


def test_a_tally_stops_once_two_pieces_are_held_by_nothing(tmp_path, library) -> None:
    with WhooshSearchEngine(tmp_path / "index") as engine:
        engine.index(library)
        view = engine._view()
        plans = plan(resolve(parse("zzqx qxzz penduduk"), IndexVocabulary(view.searcher.reader())))

        tally = Scorer(view).tally(plans, [(0,), (1,), (2,)])

        assert tally.hopeless and len(tally.held) == 2  # "penduduk" was never read
        assert tally.everywhere(()) == {} and [d.size for d in tally.short_of_one([(0,), (1,), (2,)])] == [
            0,
            0,
            0,
        ]
