"""The SQL of a query answered without one typed piece, when no publication holds every clause.

One statement counts which clauses each publication holds (`search.partial`): those lacking exactly
one piece are scored as the query without that piece scores them (its terms, its pairs of words
side by side, its years), the piece whose best publication scores highest is chosen, and its
publications are listed and counted as a whole answer is (`SearchSql.listed`), with a row naming
the piece (kind 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.partial import Omission
from search.postgres.analysis import FACET_COLUMNS
from search.postgres.query import SearchSql, Sum, clause_query, ranked_terms


@dataclass
class PartialSql(SearchSql):
    """The SQL of the publications lacking one piece of the query: each way of leaving one out."""

    ways: list[Omission] = field(default_factory=list)
    # Every publication lacking one piece, whichever, each with the piece (kind 3), rather than
    # those of the way whose best publication scores highest (`search.partial.topped_up`).
    every: bool = False

    def sums(self) -> list[Sum]:
        """Return each way's score, summed by publication over the terms of the query without its piece."""
        found = []
        for number, way in enumerate(self.ways):
            terms, quiet = ranked_terms(way.rest, self.query.quiet)
            found.append(Sum(f"without{number}", terms, quiet, f"terms{number}", f"quiet{number}"))
        return found

    def statement(self) -> str:
        """Return the statement listing one page of the chosen way's publications, its facets, and the way."""
        columns = ", ".join(FACET_COLUMNS.values())
        kept = ", ".join(f"s.without{number}" for number in range(len(self.ways)))
        clauses = ", ".join(f"{self.held(index)} AS clause{index}" for index in range(len(self.resolved)))
        pieces = ", ".join(
            f"({' AND '.join(f'clause{index}' for index in way.left_out)}) AS piece{number}"
            for number, way in enumerate(self.ways)
        )
        short = " + ".join(f"(NOT piece{number})::int" for number in range(len(self.ways)))
        missing = " ".join(f"WHEN NOT piece{number} THEN {number}" for number in range(len(self.ways)))
        return self.listed(
            f"""
            WITH {self.scores()}
            candidates AS ({self.candidates()}),
            held AS (
                SELECT p.publication_id, p.newest, {columns}, p.identifiers, {kept}, {clauses}
                FROM candidates JOIN fts_publication p USING (publication_id)
                LEFT JOIN scores s USING (publication_id)
                WHERE {" AND ".join(self.filters())}
            ), short AS MATERIALIZED (
                SELECT publication_id, newest, {columns}, missing, {self.scored()} AS score
                FROM (SELECT *, CASE {missing} END AS missing FROM (
                    SELECT *, {pieces} FROM held) h WHERE {short} = 1) p
            ), best AS (
                SELECT missing FROM short ORDER BY score DESC, missing LIMIT 1
            ), matched AS MATERIALIZED (
                SELECT publication_id, newest, {columns}, score FROM short
                {"" if self.every else "WHERE missing = (SELECT missing FROM best)"}
            ),""",
            (
                "\n            UNION ALL SELECT 3, t.place, t.publication_id, NULL, NULL, NULL,"
                " s.missing::float8, NULL FROM top t JOIN short s USING (publication_id)"
            )
            if self.every
            else "\n            UNION ALL SELECT 2, missing, NULL, NULL, NULL, NULL, NULL, NULL FROM best",
        )

    def held(self, index: int) -> str:
        """Return whether a publication holds the clause at `index` (never NULL)."""
        item = self.resolved[index]
        if not (self._by_terms(item) or clause_query(item)):
            return "FALSE"  # a prefix of nothing, a word too long to be indexed
        return f"coalesce({self.holds(index, item)}, FALSE)"

    def candidates(self) -> str:
        """Return the publications that may hold all clauses but one piece's: those holding any clause.

        Every publication with a posting of a clause's terms, and those holding the clauses matched
        by the GIN indexes (phrases, identifiers, long figures), each looked up by its index.
        """
        found = ["SELECT publication_id FROM scores"]
        for index, item in enumerate(self.resolved):
            if not self._by_terms(item) and clause_query(item):
                found.append(
                    f"SELECT p.publication_id FROM fts_publication p WHERE {self.holds(index, item)}"
                )
        return " UNION ".join(found)

    def scored(self) -> str:
        """Return the score of a publication lacking one piece (`missing`): the query's without it."""
        ways = []
        for number, way in enumerate(self.ways):
            # The clauses kept by their indexes in the whole query: their parameters' names.
            kept = [(index, item) for index, item in enumerate(self.resolved) if index not in way.left_out]
            score = self.score_of(kept, f"coalesce(p.without{number}, 0)", f"years{number}")
            ways.append(f"WHEN {number} THEN {score}")
        return f"CASE p.missing {' '.join(ways)} END"
