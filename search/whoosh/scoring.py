"""Score term plans by reading Whoosh posting blocks directly (BM25).

Whoosh's matcher trees cost a few microseconds of Python per posting per tree level,
and every search here has to visit every matching publication anyway (totals and facet
counts cover all results). Reading each term's posting blocks as arrays and summing
BM25 over them as numpy arrays is about ten times faster. The fast path uses attributes of
Whoosh's W3 codec matcher; anything else falls back to the public matcher API.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import WrappingMatcher

from search.result_cache import ResultCache
from search.whoosh.cache import IndexView
from search.whoosh.query import Alternative, ClausePlan, TermRef

K1 = 1.2
B = 0.75


def posting_blocks(matcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """Yield (document numbers, weights) of a term's postings, block by block.

    Deleted documents are included: callers keep only live ones.
    """
    while isinstance(matcher, WrappingMatcher):  # deletions wrap the leaf in a filter
        matcher = matcher.child
    if type(matcher) is W3LeafMatcher:
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            yield matcher._ids, matcher._weights
            matcher._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


SCORES_KEPT = 600_000  # postings' scores kept per engine (12 bytes each, 7 MB): the words asked most

TermScores = tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]  # ascending docnums, their scores
_NONE: TermScores = (np.zeros(0, np.int32), np.zeros(0, np.float64))


def _postings_weight(scores: object) -> int:
    """Return what a term's kept scores weigh: their postings (and one for the entry itself)."""
    return len(scores[0]) + 1 if isinstance(scores, tuple) else 1


class Scorer:
    """BM25 over the segments of one index version, a term's postings as arrays.

    A term's scores are two arrays (document numbers ascending, scores); terms that must all
    occur are intersected, alternatives summed over a clause, and clauses intersected as dense
    vectors over the version's documents (one float per publication), so no step costs Python
    per posting. Kept, a posting costs 12 bytes where a dict's entry cost about 90.
    """

    def __init__(self, view: IndexView, kept: ResultCache | None = None) -> None:
        self._view = view
        self._reader = view.searcher.reader()
        self._doc_count = max(1, view.searcher.doc_count())
        self._kept = kept

    @staticmethod
    def scores_cache() -> ResultCache:
        """Return a cache for terms' scores, shared by an engine's threads (weighed by postings)."""
        return ResultCache(entries=50_000, weigh=_postings_weight, budget=SCORES_KEPT)

    def term_scores(self, ref: TermRef) -> TermScores:
        """Return the documents holding the term and their BM25 scores (shared: do not change them).

        A term's scores are a function of the index version: people's words recur, so they are
        kept in the engine's cache when it has one, as its words' frequencies and typos are.
        """
        if self._kept is None:
            return self._term_scores(ref)
        return self._kept.get(self._view.version, ref, lambda: self._term_scores(ref))

    def _term_scores(self, ref: TermRef) -> TermScores:
        frequency = self._view.doc_frequency(ref.field, ref.text)
        if not frequency:
            return _NONE
        ids: list[npt.NDArray[np.int32]] = []
        weights: list[npt.NDArray[np.float64]] = []
        for leaf, offset in self._view.leaves:
            if (ref.field, ref.text) not in leaf:
                continue
            for block_ids, block_weights in posting_blocks(leaf.postings(ref.field, ref.text)):
                ids.append(np.asarray(block_ids, dtype=np.int32) + offset)
                weights.append(np.asarray(block_weights, dtype=np.float64))
        if not ids:
            return _NONE
        docs, tf = np.concatenate(ids), np.concatenate(weights)
        idf = math.log(1 + (self._doc_count - frequency + 0.5) / (frequency + 0.5))
        average = max(1.0, self._reader.field_length(ref.field) / self._doc_count)
        lengths = self._view.field_lengths(ref.field)[docs]
        scores = ref.boost * idf * (K1 + 1) * tf / (tf + K1 * (1 - B) + K1 * B / average * lengths)
        docs.flags.writeable = scores.flags.writeable = False  # shared by every thread
        return docs, scores

    def alternative_scores(self, alternative: Alternative) -> TermScores:
        """Return the documents holding every term, with the terms' scores summed."""
        if len(alternative) == 1:  # most are one word in one field
            return self.term_scores(alternative[0])
        result: TermScores | None = None
        # Rarest term first: the intersection only shrinks.
        for ref in sorted(alternative, key=lambda r: self._view.doc_frequency(r.field, r.text)):
            docs, scores = self.term_scores(ref)
            if result is None:
                result = (docs, scores)
            else:
                both, mine, theirs = np.intersect1d(result[0], docs, assume_unique=True, return_indices=True)
                result = (both, result[1][mine] + scores[theirs])
            if not result[0].size:
                return _NONE
        return result if result is not None else _NONE

    def evaluate(self, plans: list[ClausePlan], bonus: Sequence[Alternative] = ()) -> dict[int, float]:
        """Return the score of every document that satisfies all clauses (plus any `bonus` it has)."""
        if not plans:
            return {}
        size = self._view.searcher.doc_count_all()
        total = np.zeros(size)
        everywhere = np.ones(size, dtype=bool)
        for alternatives in plans:
            held, scores = self.clause_scores(alternatives, size)
            if not held.any():
                return {}
            total += scores
            everywhere &= held
            if not everywhere.any():
                return {}
        self.add_bonus(total, bonus)
        docs = np.flatnonzero(everywhere)
        return dict(zip(docs.tolist(), total[docs].tolist(), strict=True))

    def tally(self, plans: list[ClausePlan], pieces: Sequence[Sequence[int]], every: bool = False) -> Tally:
        """Return which documents hold each clause, and their scores for it: every clause, in one pass.

        `pieces` groups the clauses (by index) that are left out together: once two pieces have a
        clause nothing holds, no document lacks only one, and the rest is not read, unless `every`
        (the publications holding the most pieces are asked for: `Query.most`).
        """
        size = self._view.searcher.doc_count_all()
        tally = Tally(self, size)
        piece_of = {index: number for number, piece in enumerate(pieces) for index in piece}
        lacking: set[int] = set()
        for index, alternatives in enumerate(plans):
            held, scores = self.clause_scores(alternatives, size)
            tally.add(held, scores)
            if not held.any():
                lacking.add(piece_of.get(index, -1 - index))
                if len(lacking) > 1 and not every:
                    tally.hopeless = True
                    break
        return tally

    def clause_scores(self, alternatives: ClausePlan, size: int) -> tuple[npt.NDArray[np.bool_], npt.NDArray]:
        """Return which documents satisfy a clause, and their scores for it (dense, by document number)."""
        found = [self.alternative_scores(alternative) for alternative in alternatives]
        docs = np.concatenate([docs for docs, _ in found]) if found else _NONE[0]
        if not docs.size:
            return np.zeros(size, dtype=bool), np.zeros(size)
        # One pass a clause, whatever its number of alternatives (a word has about ten).
        scores = np.concatenate([scores for _, scores in found])
        return np.bincount(docs, minlength=size).astype(bool), np.bincount(
            docs, weights=scores, minlength=size
        )

    def add_bonus(self, total: npt.NDArray, bonus: Sequence[Alternative]) -> None:
        """Add to each document's score what it has of the bonus (never required: added to what matched)."""
        for alternative in bonus:
            docs, scores = self.alternative_scores(alternative)
            if docs.size:
                total += np.bincount(docs, weights=scores, minlength=total.size)


class Tally:
    """Every clause of a query counted over the documents: which hold it and their scores for it.

    The documents holding every clause are the answer; when none does, those holding every clause
    but one typed piece's are (`search.partial`), ranked as the query without it ranks them.
    """

    def __init__(self, scorer: Scorer, size: int) -> None:
        self._scorer = scorer
        self._size = size
        self.held: list[npt.NDArray[np.bool_]] = []
        self.scores: list[npt.NDArray] = []
        self.hopeless = (
            False  # two pieces that nothing holds: nothing holds every clause, or all but one piece's
        )

    def add(self, held: npt.NDArray[np.bool_], scores: npt.NDArray) -> None:
        """Count one more clause: the documents holding it and their scores for it."""
        self.held.append(held)
        self.scores.append(scores)

    def everywhere(self, bonus: Sequence[Alternative]) -> dict[int, float]:
        """Return the score of every document holding every clause (plus any `bonus` it has)."""
        if self.hopeless or not self.held:
            return {}
        everywhere = np.all(np.stack(self.held), axis=0)
        if not everywhere.any():
            return {}
        total = np.zeros(self._size)
        for scores in self.scores:  # summed in the clauses' order, as `Scorer.evaluate` sums them
            total += scores
        self._scorer.add_bonus(total, bonus)
        docs = np.flatnonzero(everywhere)
        return dict(zip(docs.tolist(), total[docs].tolist(), strict=True))

    def pieces_held(self, pieces: Sequence[Sequence[int]]) -> npt.NDArray[np.bool_]:
        """Return which documents hold each piece (its clauses' indexes): a row a piece."""
        return np.array([np.all(np.stack([self.held[i] for i in piece]), axis=0) for piece in pieces])

    def short_of_one(self, pieces: Sequence[Sequence[int]]) -> list[npt.NDArray[np.int64]]:
        """Return, for each piece (its clauses' indexes), the documents holding every other piece, not it."""
        if self.hopeless:
            return [np.zeros(0, np.int64) for _ in pieces]
        held = self.pieces_held(pieces)
        short = np.flatnonzero(held.sum(axis=0) == len(pieces) - 1)
        missing = np.argmin(held[:, short], axis=0)  # the one piece each of them lacks
        return [short[missing == number] for number in range(len(pieces))]

    def without(
        self, left_out: Sequence[int], docs: npt.NDArray[np.int64], bonus: Sequence[Alternative]
    ) -> dict[int, float]:
        """Return the documents' scores over every clause but `left_out`, with the `bonus` of the query
        without them (summed as `Scorer.evaluate` sums that query's)."""
        total = np.zeros(docs.size)
        for index, scores in enumerate(self.scores):
            if index not in left_out:
                total += scores[docs]
        for alternative in bonus:
            found, scores = self._scorer.alternative_scores(alternative)
            if found.size:
                total += np.bincount(found, weights=scores, minlength=self._size)[docs]
        return dict(zip(docs.tolist(), total.tolist(), strict=True))
