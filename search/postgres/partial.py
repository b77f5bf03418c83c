"""The SQL of a query answered without one typed piece: when no publication holds every clause,
and after the whole answer when fewer than a page do.

One statement counts which clauses each publication holds (`search.partial`): those lacking exactly
one piece are scored as the query without that piece scores them (its terms, its pairs of words
side by side, its years). With no whole answer (`PartialSql`), the piece whose best publication
scores highest is chosen, and its publications are listed and counted as a whole answer is
(`SearchSql.listed`), with a row naming the piece (kind 2). With a whole answer short of a page
(`ToppedSql`), the same statement that lists it goes on to the publications lacking any one piece.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.partial import Omission
from search.postgres.analysis import FACET_COLUMNS
from search.postgres.query import SearchSql, Sum, clause_query, facet_counts, ranked_terms


@dataclass
class PartialSql(SearchSql):
    """The SQL of the publications lacking one piece of the query: each way of leaving one out."""

    ways: list[Omission] = field(default_factory=list)

    def sums(self) -> list[Sum]:
        """Return each way's score, summed by publication over the terms of the query without its piece."""
        found = []
        for number, way in enumerate(self.ways):
            terms, quiet = ranked_terms(way.rest, self.query.quiet)
            found.append(Sum(f"without{number}", terms, quiet, f"terms{number}", f"quiet{number}"))
        return found

    def statement(self) -> str:
        """Return the statement listing one page of the chosen way's publications, its facets, and the way
        (an odd piece's first, then one not a place's: `search.partial.chosen`)."""
        columns = ", ".join(FACET_COLUMNS.values())
        self.params["odd"] = [number for number, way in enumerate(self.ways) if way.odd]
        self.params["place"] = [number for number, way in enumerate(self.ways) if way.place]
        return self.listed(
            f"""
            WITH {self.scores()}
            {self.short()}
            best AS (
                SELECT missing FROM short
                ORDER BY missing = ANY(:odd) DESC, missing = ANY(:place), score DESC, missing LIMIT 1
            ), matched AS MATERIALIZED (
                SELECT publication_id, newest, {columns}, score FROM short
                WHERE missing = (SELECT missing FROM best)
            ),""",
            "\n            UNION ALL SELECT 2, missing, NULL, NULL, NULL, NULL, NULL, NULL FROM best",
        )

    def short(self, gate: str = "TRUE") -> str:
        """Return the CTEs `held` and `short`: the publications lacking exactly one piece, the piece's
        number (`missing`) and their score without it; none unless `gate` holds (evaluated once).
        """
        columns = ", ".join(FACET_COLUMNS.values())
        kept = ", ".join(f"s.without{number}" for number in range(len(self.ways)))
        clauses = ", ".join(f"{self.held(index)} AS clause{index}" for index in range(len(self.resolved)))
        pieces = ", ".join(
            f"({' AND '.join(f'clause{index}' for index in way.left_out)}) AS piece{number}"
            for number, way in enumerate(self.ways)
        )
        short = " + ".join(f"(NOT piece{number})::int" for number in range(len(self.ways)))
        missing = " ".join(f"WHEN NOT piece{number} THEN {number}" for number in range(len(self.ways)))
        return f"""candidates AS ({self.candidates()}),
            held AS (
                SELECT p.publication_id, p.newest, {columns}, p.identifiers, {kept}, {clauses}
                FROM candidates JOIN fts_publication p USING (publication_id)
                LEFT JOIN scores s USING (publication_id)
                WHERE {" AND ".join(self.filters())} AND {gate}
            ), short AS MATERIALIZED (
                SELECT publication_id, newest, {columns}, missing, {self.scored()} AS score
                FROM (SELECT *, CASE {missing} END AS missing FROM (
                    SELECT *, {pieces} FROM held) h WHERE {short} = 1) p
            ),"""

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


@dataclass
class ToppedSql(PartialSql):
    """One statement: a page of the whole answer and, when fewer than a page of publications hold
    every clause, the publications lacking one piece after them (`search.partial.topped_up`).

    The publications lacking one piece are looked for only when the whole answer's count, known
    once it is matched, is short of a page: the condition is evaluated once, before them (a
    gating one-time filter), so a query answered by a page or more costs no more than the whole
    answer and the sums of its terms without each piece. Their rows: kind 4 (a hit), kind 3 (the
    piece it lacks), kind 5 (their facet counts); the whole answer's are kinds 0 and 1.
    """

    def sums(self) -> list[Sum]:
        """Return the whole query's score and each way's (a piece left out), summed by publication."""
        terms, quiet = ranked_terms(self.resolved, self.query.quiet)
        return [Sum("score", terms, quiet, "whole_terms", "whole_quiet"), *super().sums()]

    def statement(self) -> str:
        """Return the statement listing the whole answer's page, then the page's share of the others."""
        start, per_page = (self.query.page - 1) * self.query.per_page, self.query.per_page
        self.params.update(start=start, stop=start + per_page, short_of=per_page - 1)
        skipped = "greatest(0, :start - (SELECT n FROM whole))"  # the page's share (`search.partial.window`)
        order = "score DESC, newest DESC, publication_id"
        more = f"""
            UNION ALL
            SELECT 4, m.place, m.publication_id, p.title, p.abstract, p.language, m.score, {self.on_pages()}
            FROM more m JOIN fts_publication p USING (publication_id)
            UNION ALL
            SELECT 3, m.place, m.publication_id, NULL, NULL, NULL, m.missing::float8, NULL FROM more m
            UNION ALL {facet_counts(5, "short")}"""
        return self.listed(
            f"""
            WITH {self.scores()}
            {self.matched()}
            whole AS MATERIALIZED (SELECT count(*) AS n FROM matched),
            {self.short("(SELECT n FROM whole) BETWEEN 1 AND :short_of")}
            more AS (
                SELECT publication_id, score, missing, row_number() OVER (ORDER BY {order}) AS place
                FROM short ORDER BY {order}
                LIMIT greatest(0, :stop - (SELECT n FROM whole) - {skipped}) OFFSET {skipped}
            ),""",
            more,
        )


@dataclass
class MostSql(PartialSql):
    """The SQL of which pieces the publications hold when not even those lacking two are found
    (`Query.most`, `search.partial.fewest_left_out`): each combination of pieces held (a bit a
    piece), with the best score of a publication holding it over the whole query's terms.
    """

    def sums(self) -> list[Sum]:
        """Return the whole query's score: what a publication holds of its terms."""
        terms, quiet = ranked_terms(self.resolved, self.query.quiet)
        return [Sum("score", terms, quiet, "whole_terms", "whole_quiet")]

    def statement(self) -> str:
        """Return the statement of each combination of pieces held and its best publication's score."""
        clauses = ", ".join(f"{self.held(index)} AS clause{index}" for index in range(len(self.resolved)))
        held = " + ".join(
            f"(({' AND '.join(f'clause{index}' for index in way.left_out)})::int << {number})"
            for number, way in enumerate(self.ways)
        )
        return f"""
            WITH {self.scores()}
            candidates AS ({self.candidates()}),
            held AS (
                SELECT {clauses}, coalesce(s.score, 0) AS score
                FROM candidates JOIN fts_publication p USING (publication_id)
                LEFT JOIN scores s USING (publication_id)
                WHERE {" AND ".join(self.filters())}
            )
            SELECT mask, max(score) FROM (SELECT {held} AS mask, score FROM held) h GROUP BY mask"""
