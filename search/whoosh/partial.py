"""The Whoosh engine's answers in part: without one typed piece, or after too few whole ones."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from search.engine import Hit, Query, rank_key
from search.partial import LEAST_HELD, Omission, chosen, fewest_left_out, window
from search.querying import Resolved
from search.whoosh.cache import IndexView
from search.whoosh.query import bonus_plan
from search.whoosh.results import weighed
from search.whoosh.scoring import Tally

Fewer = tuple[int, float, Omission]  # a document lacking one piece, its score, the way without the piece


def fewer_words(
    view: IndexView,
    fewer: list[Fewer],
    whole: int,
    query: Query,
    hits_of: Callable[[list[tuple[int, float]], list[Resolved]], list[Hit]],
) -> list[Hit]:
    """Return the hits of the requested page among the documents lacking one piece, ranked, each naming it.

    Each is shown as the query without its piece shows it: the pages listed hold every other clause.
    """
    start, end = window(query, whole)
    if not fewer or end <= 0:
        return []
    newest, ids = view.newest(), view.searcher.reader().column_reader("publication_id")
    ranked = heapq.nsmallest(end, fewer, key=lambda f: rank_key(query.sort, f[1], newest[f[0]], ids[f[0]]))
    shown = ranked[start:end]
    found: dict[int, Hit] = {}
    for way in {id(way): way for _, _, way in shown}.values():  # each way's hits at once
        group = [(docnum, score) for docnum, score, their in shown if their is way]
        for hit, (docnum, _) in zip(hits_of(group, way.rest), group, strict=True):
            found[docnum] = replace(hit, missing=way.typed)
    return [found[docnum] for docnum, _, _ in shown]


def in_part(
    view: IndexView, tally: Tally, ways: list[Omission], query: Query, allowed: frozenset[int] | set[int]
) -> tuple[Omission | None, list[tuple[int, float]]]:
    """Return the query without the piece whose best publication scores highest, and its answers."""
    answers = _each_way(view, tally, ways, query, allowed)
    choice = chosen([max((score for _, score in scored), default=None) for scored in answers], ways)
    return (None, []) if choice is None else (ways[choice], answers[choice])


def short_of_one(
    view: IndexView, tally: Tally, ways: list[Omission], query: Query, allowed: frozenset[int] | set[int]
) -> list[Fewer]:
    """Return the publications lacking one piece, whichever: each scored without it, and the piece."""
    answers = _each_way(view, tally, ways, query, allowed)
    return [(docnum, score, way) for way, found in zip(ways, answers, strict=True) for docnum, score in found]


def _each_way(
    view: IndexView, tally: Tally, ways: list[Omission], query: Query, allowed: frozenset[int] | set[int]
) -> list[list[tuple[int, float]]]:
    """Return, for each way of leaving one piece out, the publications lacking just it, scored without it."""
    answers: list[list[tuple[int, float]]] = []
    for way, docs in zip(ways, tally.short_of_one([way.left_out for way in ways]), strict=True):
        scores = tally.without(way.left_out, docs, bonus_plan(way.rest, query.quiet)) if docs.size else {}
        answers.append(weighed(view, scores, query, way.rest, allowed) if scores else [])
    return answers


def most_held(
    view: IndexView,
    tally: Tally,
    ways: list[Omission],
    resolved: list[Resolved],
    query: Query,
    allowed: frozenset[int] | set[int],
) -> tuple[Omission | None, list[tuple[int, float]]]:
    """Return the query without the pieces the publications holding the most of them lack, and its
    answers (`search.partial.fewest_left_out`): those holding every other piece, scored without them.

    The tally has counted every clause (`Scorer.tally`, `every`): a publication holding the most
    pieces holds every piece but those it lacks, so the answer is the query without them.
    """
    held = tally.pieces_held([way.left_out for way in ways])
    counts = held.sum(axis=0)
    docs = np.flatnonzero(counts >= LEAST_HELD)
    docs = docs[np.isin(docs, np.fromiter(allowed, np.int64, len(allowed)))]
    if not docs.size:
        return None, []
    masks = (held[:, docs].astype(np.int64) << np.arange(len(ways), dtype=np.int64)[:, None]).sum(axis=0)
    total = np.sum(np.stack(tally.scores), axis=0)[docs]
    omission = fewest_left_out(resolved, ways, zip(masks.tolist(), total.tolist(), strict=True))
    if omission is None:
        return None, []
    short = np.flatnonzero(
        np.all(np.stack([tally.held[i] for i in range(len(resolved)) if i not in omission.left_out]), axis=0)
    )
    scores = tally.without(omission.left_out, short, bonus_plan(omission.rest, query.quiet))
    return omission, weighed(view, scores, query, omission.rest, allowed)
