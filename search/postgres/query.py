"""Resolved clauses as PostgreSQL text-search queries, and the SQL of one search."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.engine import OWN_OFFICE, PART_OF_AREA, PART_OF_AREA_PATTERN, YEAR_NAMED, Query
from search.paged_terms import in_body_exact, is_shingleable
from search.postgres.analysis import FACET_COLUMNS, MAX_WORD_BYTES, quote
from search.querying import QUIET, Resolved, is_quiet, proximity, quiet_pair, years

IDENTIFIER_SCORE = 50.0  # an identifier beats everything
# A query of more terms than this has its postings joined to their rarity (`scores`): three words
# make 9 terms; a typo's four candidates make 12, slower in one pass at a million pages.
ONE_PASS_TERMS = 9


def clause_query(item: Resolved) -> str:
    """Return the tsquery text a clause matches ("" when no word can satisfy it)."""
    if not item.sequence:
        return " | ".join(quote(lexeme) for lexeme in _lexemes(item))
    if any(len(word.encode("utf-8")) > MAX_WORD_BYTES for word in item.sequence):
        return ""
    # As the Whoosh engine looks phrases up: runs of words that sequences are indexed for by
    # their two- and three-word sequences, other words (numbers) only where they occur.
    runs: list[list[str]] = [[]]
    for word in item.sequence:
        if is_shingleable(word):
            runs[-1].append(word)
        else:
            runs += [[word], []]
    lexemes = []
    for run in runs:
        if len(run) == 1:
            lexemes.append("w:" + run[0])
        elif len(run) == 2:
            lexemes.append("q:" + " ".join(run))
        else:
            lexemes += ["q:" + " ".join(run[i : i + 3]) for i in range(len(run) - 2)]
    return " & ".join(quote(lexeme) for lexeme in lexemes)


def bag(resolved: list[Resolved]) -> list[str]:
    """Return the terms of every clause (a phrase's words): what ranks a match."""
    return sorted({lexeme for item in resolved for lexeme in _lexemes(item)})


def phrase_pairs(resolved: list[Resolved]) -> tuple[str, ...]:
    """Return the neighbouring words of each phrase, as `proximity` returns typed words side by side."""
    pairs = [
        f"{first} {second}"
        for item in resolved
        for first, second in zip(item.sequence, item.sequence[1:], strict=False)
        if first.isalpha() and second.isalpha()
    ]
    return tuple(dict.fromkeys(pairs))


def _lexemes(item: Resolved) -> list[str]:
    found = [f"w:{w}" for w in sorted(item.exact)]
    found += [f"i:{s}" for s in sorted(item.stems_id)]
    found += [f"e:{s}" for s in sorted(item.stems_en)]
    return [lexeme for lexeme in found if len(lexeme.encode("utf-8")) <= MAX_WORD_BYTES + 2]


@dataclass
class SearchSql:
    """The SQL of one search: its matching condition, its score and its parameters."""

    query: Query
    resolved: list[Resolved]
    params: dict = field(default_factory=dict)

    def statement(self) -> str:
        """Return the statement listing one page of hits (kind 0) and the facet counts (kind 1)."""
        return self.listed(f"""
            WITH {self.scores()}
            {self.matched()}""")

    def matched(self) -> str:
        """Return the CTE `matched`: the publications holding every clause, with their scores."""
        columns = ", ".join(FACET_COLUMNS.values())
        return f"""matched AS MATERIALIZED (
                SELECT p.publication_id, p.newest, {columns}, {self.score()} AS score
                FROM fts_publication p {self.joined()}
                WHERE {self.where()}
            ),"""

    def listed(self, matching: str, more: str = "") -> str:
        """Return the statement listing one page of what `matching` names `matched`, and its facets."""
        order = "score DESC, newest DESC, publication_id"
        if self.query.sort == "newest":
            order = "newest DESC, score DESC, publication_id"
        self.params.update(limit=self.query.per_page, offset=(self.query.page - 1) * self.query.per_page)
        return f"""{matching} top AS (
                SELECT publication_id, score, row_number() OVER (ORDER BY {order}) AS place
                FROM matched ORDER BY {order} LIMIT :limit OFFSET :offset
            )
            SELECT 0 AS kind, t.place, t.publication_id AS a, p.title AS b, p.abstract AS c,
                   p.language AS d, t.score AS n, {self.on_pages()} AS e
            FROM top t JOIN fts_publication p USING (publication_id)
            UNION ALL {facet_counts(1, "matched")}{more}
        """

    def on_pages(self) -> str:
        """Return whether a hit's pages (those this search may read) hold any clause.

        A hit found by its title alone has no page to list: its pages are then not read one by
        one (a publication's body vector answers at once). Long figures are on pages only.
        """
        if not self.resolved or not all(
            in_body_exact(word) for item in self.resolved for word in (*item.exact, *item.sequence)
        ):
            return "TRUE"
        self.params["anywhere"] = " | ".join(f"({clause_query(item)})" for item in self.resolved)
        held = "p.body @@ CAST(:anywhere AS tsquery)"
        if self.query.closed_text:
            held += " OR p.closed_body @@ CAST(:anywhere AS tsquery)"
        return f"({held})"

    def where(self) -> str:
        """Return the condition a publication meets: the filters, and every clause somewhere."""
        clauses = [self.holds(index, item) for index, item in enumerate(self.resolved)]
        return " AND ".join(self.filters() + clauses)

    def filters(self) -> list[str]:
        """Return the conditions of the filters and of the publication searched within."""
        conditions = ["TRUE"]
        if self.query.within_publication is not None:
            self.params["within"] = self.query.within_publication
            conditions.append("p.publication_id = :within")
        for facet, wanted in sorted(self.query.filters.items()):
            if wanted:
                self.params[f"f_{facet}"] = list(wanted)
                conditions.append(f"p.{FACET_COLUMNS[facet]} = ANY(CAST(:f_{facet} AS text[]))")
        return conditions

    def holds(self, index: int, item: Resolved) -> str:
        """Return the condition a publication `p` (beside its `scores` row `s`) meets by holding a clause."""
        if self._by_terms(item):
            return f"s.c{index}"
        q = f"CAST(:q{index} AS tsquery)"
        self.params[f"q{index}"] = clause_query(item)
        places = [f"p.meta @@ {q}", f"p.body @@ {q}"]
        closed = self.query.closed_text
        if closed:
            places.append(f"p.closed_body @@ {q}")
        if not all(in_body_exact(word) for word in (*item.exact, *item.sequence)):
            open_only = "" if closed else " AND NOT g.closed"  # long figures: on pages only
            pages = f"SELECT g.publication_id FROM fts_page g WHERE g.lexemes @@ {q}{open_only}"
            places.append(f"p.publication_id IN ({pages})")
        if item.clause.identifiers:
            self.params[f"ids{index}"] = list(item.clause.identifiers)
            places.append(f"p.identifiers && CAST(:ids{index} AS text[])")
        return "(" + " OR ".join(places) + ")"

    def _by_terms(self, item: Resolved) -> bool:
        """Tell whether a clause is matched by its terms' postings (a word or a prefix's words).

        Phrases (their sequences), identifiers and long figures are matched by the GIN indexes.
        """
        return not item.sequence and not item.clause.identifiers and all(in_body_exact(w) for w in item.exact)

    def joined(self) -> str:
        """Return the join of the scores: inner when every clause is matched by its terms."""
        if not self.resolved:
            return ""
        inner = all(self._by_terms(item) for item in self.resolved)
        return f"{'' if inner else 'LEFT '}JOIN scores s USING (publication_id)"

    def sums(self) -> list[Sum]:
        """Return the scores summed by publication: one, over every clause's terms."""
        terms, quiet = ranked_terms(self.resolved, self.query.quiet)
        return [Sum("score", terms, quiet, "terms", "quiet")]

    def scores(self) -> str:
        """Return the common table expressions scoring the publications holding the query's terms.

        BM25 from the terms' weights (`search.postgres.analysis`) and their document frequencies,
        read from the terms' index alone: the cost grows with the terms' postings, not with the
        length of the publications matched. A query of a few terms has its postings grouped by
        publication in one pass, a column per term, each term's rarity then worked out once
        from how many publications have its column (a fifth less than joining each posting to
        its term's rarity); one of many terms (a prefix's, a typo's candidates), where a column
        per term costs more than the join saves, has them joined (ONE_PASS_TERMS).
        """
        if not self.resolved:
            return ""
        weight = "weight" if self.query.closed_text else "open_weight"
        sums = self.sums()
        terms = sorted({term for each in sums for term in each.terms})
        for each in sums:
            self.params[each.quiet_name] = sorted(each.quiet)
            self.params[each.terms_name] = each.terms
        self.params["terms"] = terms  # every sum's: a sum over them all is named so (`Sum`)
        within = ""
        if self.query.within_publication is not None:  # the rarity of its terms then matters not
            self.params["within"] = self.query.within_publication
            within = " AND publication_id = :within"
        held_by = [
            (index, _lexemes(item)) for index, item in enumerate(self.resolved) if self._by_terms(item)
        ]
        if len(terms) > ONE_PASS_TERMS:
            return self._joined_scores(weight, within, held_by, sums)
        return self._one_pass_scores(terms, weight, within, held_by, sums)

    def _joined_scores(
        self, weight: str, within: str, held_by: list[tuple[int, list[str]]], sums: list[Sum]
    ) -> str:
        """Return `scores` with each posting joined to its term's rarity, then summed by publication."""
        held = ""
        for index, lexemes in held_by:
            self.params[f"c{index}"] = lexemes
            held += f", bool_or(term = ANY(CAST(:c{index} AS text[]))) AS c{index}"
        summed = []
        for each in sums:
            quiet = f"CASE WHEN term = ANY(CAST(:{each.quiet_name} AS text[])) THEN {QUIET} ELSE 1 END"
            mine = (
                ""
                if each.terms_name == "terms"
                else f" FILTER (WHERE term = ANY(CAST(:{each.terms_name} AS text[])))"
            )
            summed.append(f"sum(weight * idf * {quiet}){mine} AS {each.column}")
        return f"""
            postings AS MATERIALIZED (
                SELECT term, publication_id, {weight} AS weight FROM fts_term
                WHERE term = ANY(CAST(:terms AS text[])) AND {weight} > 0{within}
            ), rarity AS (
                SELECT term, ln(1 + ((SELECT count(*) FROM fts_publication) - count(*) + 0.5)
                                    / (count(*) + 0.5)) AS idf
                FROM postings GROUP BY term
            ), scores AS (
                SELECT publication_id, {", ".join(summed)}{held}
                FROM postings JOIN rarity USING (term) GROUP BY publication_id
            ),"""

    def _one_pass_scores(
        self,
        terms: list[str],
        weight: str,
        within: str,
        held_by: list[tuple[int, list[str]]],
        sums: list[Sum],
    ) -> str:
        """Return `scores` with the postings grouped by publication in one pass, a column per term."""
        self.params.update((f"t{number}", term) for number, term in enumerate(terms))
        numbers = range(len(terms))
        columns = "".join(f", sum({weight}) FILTER (WHERE term = :t{n}) AS w{n}" for n in numbers)
        rarities = ", ".join(
            f"ln(1 + (n.total - count(w{n}) + 0.5) / (count(w{n}) + 0.5)) AS r{n}" for n in numbers
        )
        summed = []
        for each in sums:  # each over its terms, in the order of all (a shorter query's order)
            mine = set(each.terms)
            score = " + ".join(
                f"coalesce(w{n} * r.r{n}{f' * {QUIET}' if terms[n] in each.quiet else ''}, 0)"
                for n in numbers
                if terms[n] in mine
            )
            summed.append(f"({score or '0'})::float8 AS {each.column}")
        held = ""
        for index, lexemes in held_by:
            found = " OR ".join(f"w{terms.index(lexeme)} IS NOT NULL" for lexeme in lexemes)
            held += f", ({found or 'FALSE'}) AS c{index}"
        return f"""
            postings AS (
                SELECT publication_id{columns} FROM fts_term
                WHERE term = ANY(CAST(:terms AS text[])) AND {weight} > 0{within}
                GROUP BY publication_id
            ), rarity AS (
                SELECT {rarities or "1"} FROM postings, (SELECT count(*) AS total FROM fts_publication) n
                GROUP BY n.total
            ), scores AS (
                SELECT publication_id, {", ".join(summed)}{held} FROM postings, rarity r
            ),"""

    def score(self) -> str:
        """Return the relevance of a matched publication (0 for a query without words)."""
        if not self.resolved:
            return "0::float8"
        return self.score_of(list(enumerate(self.resolved)), "coalesce(s.score, 0)", "years")

    def score_of(self, clauses: list[tuple[int, Resolved]], summed: str, years_name: str) -> str:
        """Return the relevance of a publication `p` holding the clauses (by index), their terms' `summed`."""
        parts = [summed]
        for index, item in clauses:
            if item.clause.identifiers:
                # Each form of the typed number it holds: a district's full Katalog BPS beats its base.
                held = f"SELECT unnest(p.identifiers) INTERSECT SELECT unnest(CAST(:ids{index} AS text[]))"
                parts.append(f"{IDENTIFIER_SCORE} * cardinality(ARRAY({held}))")
        own = ""
        if self.query.prefer_office:  # the site's own office wins ties (OWN_OFFICE)
            self.params["prefer"] = self.query.prefer_office
            own = f" * (CASE WHEN p.office = :prefer THEN {OWN_OFFICE} ELSE 1 END)"
        named = sorted(years([item for _, item in clauses]))
        if named:  # the edition of a year the query names (YEAR_NAMED)
            self.params[years_name] = named
            own += f" * (CASE WHEN p.year = ANY(CAST(:{years_name} AS text[])) THEN {YEAR_NAMED} ELSE 1 END)"
        # A district's edition (`is_part_of_area`: its Katalog BPS ends in a 7-digit area code). The
        # identifiers as one text, LIKE first: a regular expression on every matched row cost 2.4 us
        # a row (50 ms at 20,000 publications), LIKE 0.3 us; the expression then reads the few left.
        listed = "(' ' || array_to_string(p.identifiers, ' ') || ' ')"
        district = f"{listed} LIKE '% _______._______ %' AND {listed} ~ ' {PART_OF_AREA_PATTERN} '"
        own += f" * (CASE WHEN {district} THEN {PART_OF_AREA} ELSE 1 END)"
        return "(" + " + ".join(f"({part})::float8" for part in parts) + ")" + own


def facet_counts(kind: int, rows: str) -> str:
    """Return the SELECT counting the publications of `rows` by each facet's values (rows of `kind`).

    One grouping set per facet: each row is counted once per facet in one pass (a row per facet
    and value, made by a lateral VALUES list, cost a third more).
    """
    names = " ".join(
        f"WHEN GROUPING(m.{column}) = 0 THEN '{facet}'" for facet, column in FACET_COLUMNS.items()
    )
    values = ", ".join(f"m.{column}" for column in FACET_COLUMNS.values())  # NOT NULL: the grouped one
    sets = ", ".join(f"(m.{column})" for column in FACET_COLUMNS.values())
    return (
        f"SELECT {kind}, 0, CASE {names} END, coalesce({values}), NULL, NULL, count(*)::float8, NULL"
        f" FROM {rows} m GROUP BY GROUPING SETS ({sets})"
    )


@dataclass(frozen=True)
class Sum:
    """A score summed by publication over some of a query's terms (`SearchSql.scores`)."""

    column: str
    terms: list[str]
    quiet: set[str]  # those weighing QUIET
    terms_name: str  # the parameters holding them
    quiet_name: str


def ranked_terms(resolved: list[Resolved], quiet_words: frozenset[str]) -> tuple[list[str], set[str]]:
    """Return the terms ranking a match of the clauses, and those of them weighing QUIET (place names)."""
    # The typed words side by side (`proximity`) add to a publication's score, never required;
    # so do a phrase's neighbouring words ("metro-pusat"), as its sequences rank it on Whoosh.
    pairs = (*proximity(resolved), *phrase_pairs(resolved))
    terms = sorted({*bag(resolved), *(f"q:{pair}" for pair in pairs)})
    quiet = {lexeme for item in resolved if is_quiet(item, quiet_words) for lexeme in _lexemes(item)}
    quiet |= {f"q:{pair}" for pair in pairs if quiet_pair(pair, quiet_words)}
    return terms, quiet


def locate_statement(
    resolved: list[Resolved], closed_text: bool, every: bool, cap: int | None
) -> tuple[str, dict]:
    """Return the statement listing, for given publications, their pages holding the clauses.

    With `every`, the first `cap` pages (by number) holding every clause the publication is
    asked for: the caller gives each publication's query (`:wanted`, beside `:ids`, the clauses'
    own `q<index>` joined by "&"). Else the pages holding any clause, each with which clauses it
    holds. An index on (publication, number) reads a publication's pages in order until `cap`
    are found.
    """
    params: dict = {f"q{index}": clause_query(item) for index, item in enumerate(resolved)}
    open_only = "" if closed_text else " AND NOT g.closed"
    limit = "" if cap is None else f" LIMIT {int(cap)}"
    if every:
        return (
            "SELECT s.pid, h.number, NULL FROM unnest(CAST(:ids AS text[]), CAST(:wanted AS text[]))"
            " AS s(pid, wanted) CROSS JOIN LATERAL (SELECT g.number FROM fts_page g WHERE"
            f" g.publication_id = s.pid AND g.lexemes @@ CAST(s.wanted AS tsquery){open_only}"
            f" ORDER BY g.number{limit}) AS h"
        ), params
    params["wanted"] = " | ".join(f"({params[f'q{i}']})" for i in range(len(resolved)))
    held = ", ".join(f"g.lexemes @@ CAST(:q{i} AS tsquery)" for i in range(len(resolved)))
    sql = (
        f"SELECT s.pid, h.number, h.held FROM unnest(CAST(:ids AS text[])) AS s(pid) CROSS JOIN LATERAL "
        f"(SELECT g.number, ARRAY[{held}] AS held FROM fts_page g "
        f"WHERE g.publication_id = s.pid AND g.lexemes @@ CAST(:wanted AS tsquery){open_only} "
        f"ORDER BY g.number{limit}) AS h"
    )
    return sql, params
