"""The PostgreSQL search engine: publications, pages and words in tables any host reads.

Matching and ranking run in PostgreSQL (GIN indexes over tsvectors of our own lexemes: see
`search.postgres.tables`); the query language, typo tolerance, suggestions, page choice and
snippets are the code every engine shares (`search.querying`, `search.snippets`). A search
reads one snapshot (REPEATABLE READ), so its total, facets and hits always agree.

The index's version (`fts_version`, raised by every write, on any host) is read first, on its
own (autocommit: no BEGIN or ROLLBACK around it): the answers to searches asked again under the
same version are the process's kept ones (`search.result_cache`), served after that one round
trip. A search not kept then reads its snapshot, which holds at least that version's writes: an
answer is never older than the number it is kept under, at most newer, and then given only to
the searches still reading that number. (A rebuild's rows are written frozen, seen by every
snapshot once it commits, the same way.)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import Connection, Engine, create_engine, text

from search.clauses import parse
from search.engine import (
    Hit,
    PageHit,
    PageQuery,
    PageResults,
    PublicationDoc,
    Query,
    SearchResults,
    ordered_facets,
)
from search.partial import Omission, fewest_left_out, omissions, toppable
from search.postgres.partial import MostSql, PartialSql, ToppedSql
from search.postgres.query import SearchSql, clause_query, locate_statement
from search.postgres.rebuild import bulk_processes, rebuild_tables
from search.postgres.tables import (
    READ_VERSION,
    changed,
    create_tables,
    remove,
    remove_all,
    store,
    trigram_schema,
    vacuum,
)
from search.postgres.vocabulary import PostgresVocabulary
from search.querying import Resolved, resolve, suggest
from search.result_cache import ANSWERS_KEPT, ResultCache, answer_weight, query_key
from search.snippets import choose_pages, highlight, pages_screen

BULK_PAGES = 2_000  # a rebuild of fewer pages is quicker in one process than with helpers


class PostgresSearchEngine:
    """Index publications in PostgreSQL tables (in the connection's search_path) and search them."""

    def __init__(self, database: Engine | str, *, create: bool = True) -> None:
        """Open the index in `database`; `create=False`: its tables are already there (migrated)."""
        self.bulk_pages = BULK_PAGES  # a rebuild of this many pages or more analyses in helper processes
        self._owned = isinstance(database, str)  # an engine given is the caller's to dispose of
        self._engine = create_engine(database) if isinstance(database, str) else database
        with self._engine.begin() as conn:
            self._trgm = create_tables(conn) if create else trigram_schema(conn)
        self._answers = ResultCache(weigh=answer_weight, budget=ANSWERS_KEPT, ordered=True)

    # Writing: each call is one transaction (`search.postgres.tables.store` takes a caller's).

    def index(self, docs: Iterable[PublicationDoc]) -> None:
        """Add the publications, replacing any already indexed with the same id."""
        with self._engine.begin() as conn:
            store(conn, docs)

    def delete(self, publication_ids: Iterable[str]) -> None:
        """Remove the publications; unknown ids are ignored."""
        with self._engine.begin() as conn:
            remove(conn, publication_ids)

    def rebuild(self, docs: Iterable[PublicationDoc]) -> None:
        """Replace everything by these publications in one transaction (searches see the old till then).

        The rows go into fresh tables swapped in at the commit (`search.postgres.rebuild`); with
        `bulk_pages` pages or more and more than one core, helper processes analyse them.
        """
        given = _once_each(docs)
        head, page_count = [], 0  # a small index is analysed by this process: starting others costs more
        for doc in given:
            head.append(doc)
            page_count += len(doc.pages)
            if page_count >= self.bulk_pages:
                break
        procs = bulk_processes() if page_count >= self.bulk_pages else 0
        with self._engine.connect().execution_options(isolation_level="READ COMMITTED") as conn:
            with conn.begin():
                rebuild_tables(conn, itertools.chain(head, given), procs)
                changed(conn)
        vacuum(self._engine)

    def clear(self) -> None:
        """Remove every publication from the index."""
        with self._engine.begin() as conn:
            remove_all(conn)

    # Reading

    def ids(self) -> set[str]:
        """Return the ids of every indexed publication."""
        return set(self.fingerprints())

    def fingerprints(self) -> dict[str, str]:
        """Return each indexed publication's fingerprint."""
        with self._engine.connect() as conn:
            rows = conn.execute(text("SELECT publication_id, fingerprint FROM fts_publication"))
            return {publication_id: fingerprint for publication_id, fingerprint in rows}

    def search(self, query: Query) -> SearchResults:
        """Return the publications matching the query (one shared answer while the index is unchanged)."""
        with self._engine.connect() as conn:
            version = _version(conn)
            search = lambda: _Search(conn, self._trgm, query.closed_text).results(query, True)  # noqa: E731
            return self._answers.get(version, query_key(query), search)

    def search_pages(self, query: PageQuery) -> PageResults:
        """Return the pages of one publication that hold the words, in page order."""
        with self._engine.connect() as conn:
            version = _version(conn)
            return self._answers.get(version, query, lambda: self._search_pages(conn, query))

    def _search_pages(self, conn: Connection, query: PageQuery) -> PageResults:
        within = Query(
            text=query.text, within_publication=query.publication_id, closed_text=query.closed_text
        )
        search = _Search(conn, self._trgm, query.closed_text)
        results = search.results(within, with_suggestion=True)
        numbers = results.hits[0].pages if results.hits else ()
        if not numbers:
            return PageResults(0, [], results.suggestion)
        shown = list(pages_screen(numbers, query.page, query.per_page))
        rows = conn.execute(
            text(
                "SELECT g.number, g.text, p.language FROM fts_page g "
                "JOIN fts_publication p USING (publication_id) WHERE g.publication_id = :pid "
                "AND g.number = ANY(:numbers) ORDER BY g.ordinal DESC"
            ),
            {"pid": query.publication_id, "numbers": shown},
        )
        texts = {number: (page_text, language) for number, page_text, language in rows}  # the first wins
        resolved = search.resolved(query.text)  # its lookups were kept by the search above
        pages = [PageHit(n, highlight(texts[n][0], resolved, texts[n][1])) for n in shown]
        return PageResults(len(numbers), pages)

    def close(self) -> None:
        """Let go of the database connections, if this engine opened them (it was given a URL)."""
        if self._owned:
            self._engine.dispose()

    def __enter__(self) -> PostgresSearchEngine:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class _Search:
    """One search's work on one connection: its vocabulary is read once for all its queries."""

    def __init__(self, conn: Connection, trgm: str, closed_text: bool) -> None:
        self._conn = conn
        self._vocabulary = PostgresVocabulary(conn, closed_text, trgm)

    def resolved(self, typed: str, known: frozenset[str] = frozenset()) -> list[Resolved]:
        """Return the typed text's clauses resolved against this vocabulary."""
        clauses = parse(typed)
        self._vocabulary.prefetch([clause.words[0] for clause in clauses if clause.kind == "word"])
        return resolve(clauses, self._vocabulary, known)

    def results(self, query: Query, with_suggestion: bool) -> SearchResults:
        """Return one page of results, the facet counts and, when nothing matched, a suggestion.

        When nothing matched and no correction would find anything, a query that asks for it
        (`Query.partial`) is answered without one typed piece (`search.partial`).
        """
        clauses = parse(query.text)
        resolved = self.resolved(query.text, query.known)
        fewer = 0  # too few hold every clause: those lacking one piece follow them, in the same statement
        if all(clause_query(item) for item in resolved):
            every = omissions(query.text, resolved, query.known, query.quiet) if toppable(query) else []
            sql = ToppedSql(query, resolved, ways=every) if every else SearchSql(query, resolved)
            hits, total, counts, _, fewer = self._matched(sql, resolved, every)
        else:  # a clause no indexed word satisfies (a prefix of nothing): nothing matches
            hits, total, counts = [], 0, {}
        suggestion = corrected = omission = None
        if clauses and with_suggestion and not total:
            suggestion = suggest(clauses, self._vocabulary, query.known)
            fixed = replace(query, text=suggestion or "", partial=False)
            if suggestion and not self.results(fixed, False).total:
                suggestion = None  # a correction that finds nothing helps nobody
        ways = (
            omissions(query.text, resolved, query.known, query.quiet)
            if query.partial and not (total or suggestion)
            else []
        )
        if ways:  # every clause but one piece's, all counted in one statement
            hits, total, counts, omission, _ = self._matched(
                PartialSql(query, resolved, ways=ways), resolved, ways
            )
        if ways and not total and query.most:  # the publications holding the most pieces
            omission = self._most(query, resolved, ways)
            if omission is not None:
                hits, total, counts, _, _ = self._matched(SearchSql(query, omission.rest), omission.rest)
        if clauses and with_suggestion and total:
            corrected = suggest(
                omission.without(clauses) if omission else clauses, self._vocabulary, query.known
            )
        left_out = omission.typed if omission else ()
        return SearchResults(total, hits, ordered_facets(counts), suggestion, corrected, left_out, fewer)

    def _most(self, query: Query, resolved: list[Resolved], ways: list[Omission]) -> Omission | None:
        """Return the query without the pieces the publications holding the most of them lack."""
        sql = MostSql(query, resolved, ways=ways)
        found = self._conn.execute(text(sql.statement()), sql.params).all()
        return fewest_left_out(resolved, ways, [(int(mask), float(score)) for mask, score in found])

    def _matched(
        self, sql: SearchSql, resolved: list[Resolved], ways: list[Omission] | None = None
    ) -> tuple[list[Hit], int, dict, Omission | None, int]:
        """Return the statement's page of hits, its total and facet counts, the piece it left out,
        and how many of the total lack one piece (`ToppedSql`).
        """
        rows = self._conn.execute(text(sql.statement()), sql.params).all()
        counts: dict[str, dict[str, int]] = {}
        shown: list[tuple] = []
        after: list[tuple] = []  # those lacking one piece, after the whole answer's
        on_pages = set()
        omission = None
        lacking: dict[str, Omission] = {}
        fewer = 0
        for kind, place, a, b, c, d, n, e in rows:
            if kind == 3:  # the piece a publication listed after the whole answer lacks
                lacking[a] = (ways or [])[int(n)]
            elif kind == 2:  # the piece a partial answer leaves out
                omission = (ways or [])[place]
                resolved = omission.rest
            elif kind in (1, 5):
                counts.setdefault(a, {})[b] = counts.get(a, {}).get(b, 0) + int(n)
                fewer += int(n) if kind == 5 and a == "language" else 0
            else:
                (after if kind == 4 else shown).append((place, a, b, c, d, n))
                if e:
                    on_pages.add(a)
        shown.sort()
        after.sort()
        total = sum(counts.get("language", {}).values())
        hits = self._hits(shown + after, on_pages, resolved, sql.query, lacking)
        return hits, total, counts, omission, fewer

    def _hits(
        self,
        shown: list[tuple],
        on_pages: set[str],
        resolved: list[Resolved],
        query: Query,
        lacking: dict[str, Omission],
    ) -> list[Hit]:
        """Return the hits of the rows shown; one `lacking` a piece as the query without it shows it."""
        wanted = [row[1] for row in shown if row[1] in on_pages]
        held = {pid: _held(resolved, lacking.get(pid)) for pid in wanted}
        located = self._locate(wanted, resolved, query, held) if resolved and wanted else {}
        chosen = {pid: choose_pages(pages, len(held[pid]), query.page_cap) for pid, pages in located.items()}
        texts = self._page_texts([(pid, best) for pid, (_, best) in chosen.items() if best is not None])
        hits = []
        for _, publication_id, title, abstract, language, score in shown:
            pages, best = chosen.get(publication_id, ((), None))
            source = texts[publication_id] if best is not None else (abstract or title)
            way = lacking.get(publication_id)
            snippet = highlight(source, way.rest if way else resolved, language)
            hit = Hit(publication_id, score, title, snippet, pages)
            hits.append(replace(hit, missing=way.typed) if way else hit)
        return hits

    def _locate(
        self, ids: list[str], resolved: list[Resolved], query: Query, held: dict[str, frozenset[int]]
    ) -> dict[str, dict[int, set[int]]]:
        """Return, per publication, the clauses found on each page `choose_pages` needs to see.

        The first pages holding every clause the publication holds (`held`: all, or all but a
        piece's) are all it lists and the first of them gives the snippet. A publication with no
        such page lists the first pages holding any; with three clauses or more, every such page
        is read to find the one holding the most.
        """
        located: dict[str, dict[int, set[int]]] = {}
        sql, params = locate_statement(resolved, query.closed_text, every=True, cap=query.page_cap)
        wanted = [" & ".join(f"({params[f'q{i}']})" for i in sorted(held[pid])) for pid in ids]
        params.update(ids=ids, wanted=wanted)
        for publication_id, number, _ in self._conn.execute(text(sql), params):
            located.setdefault(publication_id, {})[number] = set(held[publication_id])
        rest = [pid for pid in ids if pid not in located]
        if rest and len(resolved) > 1:
            cap = query.page_cap if len(resolved) == 2 else None
            sql, params = locate_statement(resolved, query.closed_text, every=False, cap=cap)
            for publication_id, number, held in self._conn.execute(text(sql), {**params, "ids": rest}):
                clauses = {index for index, present in enumerate(held) if present}
                located.setdefault(publication_id, {}).setdefault(number, set()).update(clauses)
        return located

    def _page_texts(self, wanted: list[tuple[str, int]]) -> dict[str, str]:
        """Return the text of one page per publication, by (publication, page number)."""
        if not wanted:
            return {}
        rows = self._conn.execute(
            text(
                "SELECT DISTINCT ON (g.publication_id) g.publication_id, g.text FROM fts_page g "
                "JOIN unnest(CAST(:pids AS text[]), CAST(:numbers AS int[])) AS w(p, n) "
                "ON g.publication_id = w.p AND g.number = w.n ORDER BY g.publication_id, g.ordinal"
            ),
            {"pids": [pid for pid, _ in wanted], "numbers": [number for _, number in wanted]},
        )
        return dict(rows.all())


def _held(resolved: list[Resolved], way: Omission | None) -> frozenset[int]:
    """Return the indexes of the clauses a publication holds: all, or all but its way's piece."""
    return frozenset(range(len(resolved))).difference(way.left_out if way else ())


def _version(conn: Connection) -> int:
    """Read the index's version on its own, then ready the connection for a search's snapshot.

    In autocommit: a search kept under that version costs that one round trip. A search not
    kept then reads one REPEATABLE READ snapshot, begun after (holding at least that version).
    """
    conn.execution_options(isolation_level="AUTOCOMMIT")
    version = conn.scalar(READ_VERSION)
    conn.rollback()  # ends SQLAlchemy's transaction; the server has none
    conn.execution_options(isolation_level="REPEATABLE READ")
    return version


def _once_each(docs: Iterable[PublicationDoc]) -> Iterable[PublicationDoc]:
    """Yield the publications, refusing one given twice (the rebuild's transaction then rolls back)."""
    seen: set[str] = set()
    for doc in docs:
        if doc.publication_id in seen:
            raise ValueError(f"publication {doc.publication_id} given twice")
        seen.add(doc.publication_id)
        yield doc
