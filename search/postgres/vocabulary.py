"""The words of the PostgreSQL search tables, for prefixes, typos and suggestions.

A public query's vocabulary leaves out the words found only on closed pages: a correction
or a typo's neighbour must never come from text the person may not search.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rapidfuzz.distance import Levenshtein
from sqlalchemy import Connection, text

from search.analysis import stem_english, stem_indonesian
from search.querying import RARE_DOC_FREQUENCY
from search.typing_slips import swaps

T = TypeVar("T")

# pg_trgm's similarity between two words within two slips of each other, sharing the first
# letter, is at least 1 / (trigrams of both): 0.077 for two five-letter words. The index only
# narrows the candidates; the edit distance decides.
TRIGRAM_THRESHOLD = 0.05


class PostgresVocabulary:
    """The vocabulary of one search, read on its connection (lookups kept for the search)."""

    def __init__(self, conn: Connection, closed_text: bool, trgm_schema: str) -> None:
        self._conn = conn
        self._closed = closed_text
        self._trgm = trgm_schema
        self._open = "" if closed_text else " AND open_weight > 0"
        self._memo: dict[tuple, object] = {}
        self._threshold_set = False

    def _kept(self, key: tuple, compute: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def prefetch(self, typed: list[str]) -> None:
        """Read the document frequencies and stems of typed words at once (one round trip, not two each)."""
        typed = [word for word in dict.fromkeys(typed) if ("df", word) not in self._memo]
        if not typed:
            return
        stems = {word: ("i:" + stem_indonesian(word), "e:" + stem_english(word)) for word in typed}
        terms = sorted({"w:" + word for word in typed} | {term for pair in stems.values() for term in pair})
        counts = self._term_counts(terms, RARE_DOC_FREQUENCY + 1)
        for word in typed:
            self._memo["df", word] = int(counts.get("w:" + word, 0))
            self._memo["stem", word] = any(counts.get(term) for term in stems[word])

    def doc_frequency(self, word: str) -> int:
        """Return in how many publications the exact word occurs, counted to RARE_DOC_FREQUENCY + 1."""
        return self._kept(
            ("df", word), lambda: self._term_counts(["w:" + word], RARE_DOC_FREQUENCY + 1).get("w:" + word, 0)
        )

    def stem_known(self, word: str) -> bool:
        """Return whether any publication has a word with this word's stem (in its language)."""
        stems = ["i:" + stem_indonesian(word), "e:" + stem_english(word)]
        sql = text(f"SELECT EXISTS (SELECT 1 FROM fts_term WHERE term = ANY(:stems){self._open})")
        return self._kept(("stem", word), lambda: bool(self._conn.scalar(sql, {"stems": stems})))

    def prefixed(self, prefix: str, limit: int) -> list[str]:
        """Return up to `limit` words starting with prefix, most frequent first."""
        sql = text(
            f"SELECT substr(term, 3) FROM fts_term WHERE term LIKE :pattern{self._open} "
            "GROUP BY term ORDER BY count(*) DESC, term LIMIT :limit"
        )
        params = {"pattern": _like_prefix("w:" + prefix), "limit": limit}
        return self._kept(("prefix", prefix, limit), lambda: list(self._conn.scalars(sql, params)))

    def near(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        """Return (word, doc frequency) within maxdist edits, sharing the first letter."""
        return self._kept(("near", word, maxdist), lambda: self._near(word, maxdist))

    def _near(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        """The lexicon's trigram index gives the candidates, the edit distance keeps a few, and
        only those few are counted: counting every candidate's publications (a common word's
        run of `fts_term` for each) cost seconds at a million pages."""
        if not self._threshold_set:  # for this transaction only
            self._conn.execute(text(f"SET LOCAL pg_trgm.similarity_threshold = {TRIGRAM_THRESHOLD}"))
            self._threshold_set = True
        sql = text(
            f"SELECT l.word FROM fts_lexicon l WHERE l.word OPERATOR({self._trgm}.%) :word "
            "AND l.word LIKE :first AND length(l.word) BETWEEN :shortest AND :longest AND l.word <> :word"
        )
        params = {
            "word": word,
            "first": _like_prefix(word[:1]),
            "shortest": len(word) - maxdist,
            "longest": len(word) + maxdist,
        }
        slips = swaps(word)
        close = [
            found
            for found in self._conn.scalars(sql, params)
            if Levenshtein.distance(word, found, score_cutoff=maxdist) <= maxdist or found in slips
        ]
        counts = self._term_counts(["w:" + found for found in close]) if close else {}
        # Not counted: a word of deleted publications only, or of closed pages.
        return [(found, counts["w:" + found]) for found in close if counts.get("w:" + found)]

    def _term_counts(self, terms: list[str], up_to: int | None = None) -> dict[str, int]:
        """Return in how many publications each term occurs (where this search may look), one query.

        With `up_to`, a count stops there: whether a typed word is rare is all its count tells,
        and a common word's run of rows (tens of thousands at a million pages) is not read.
        """
        if up_to is None:
            sql = text(
                f"SELECT term, count(*) FROM fts_term WHERE term = ANY(:terms){self._open} GROUP BY term"
            )
            rows = self._conn.execute(sql, {"terms": terms})
        else:
            sql = text(
                "SELECT u.term, (SELECT count(*) FROM (SELECT 1 FROM fts_term t WHERE t.term = u.term"
                f"{self._open} LIMIT :up_to) AS held) FROM unnest(CAST(:terms AS text[])) AS u(term)"
            )
            rows = self._conn.execute(sql, {"terms": terms, "up_to": up_to})
        return {term: int(count) for term, count in rows if count}


def _like_prefix(prefix: str) -> str:
    """Return a LIKE pattern matching what starts with prefix (`_` is a word character)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
