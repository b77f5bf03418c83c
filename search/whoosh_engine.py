"""The Whoosh search engine: an index folder that one process writes and any process reads."""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.query import Term

from search.engine import (
    FACET_FIELDS,
    Hit,
    IndexLockedError,
    PublicationDoc,
    Query,
    SearchResults,
    ordered_facets,
    rank_key,
)
from search.page_store import PageStore
from search.querying import Resolved, parse, resolve, suggest
from search.snippets import choose_pages, highlight
from search.whoosh_pages import locate
from search.whoosh_query import IndexVocabulary, plan
from search.whoosh_scoring import Scorer
from search.whoosh_schema import build_schema, document_fields

PAGE_STORE = "pages.sqlite"


class WhooshSearchEngine:
    """Index publications in a folder and search them."""

    def __init__(self, folder: str | Path, *, lock_timeout: float = 5.0, procs: int = 1,
                 limitmb: int = 128) -> None:
        self._folder = Path(folder)
        self._folder.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(self._folder):
            self._ix = whoosh_index.open_dir(self._folder)
        else:
            self._ix = whoosh_index.create_in(self._folder, build_schema())
        self._pages = PageStore(self._folder / PAGE_STORE)
        self._lock_timeout = lock_timeout
        # procs > 1 writes one segment per process: for bulk (re)builds, not daily updates.
        self._writer_options = {"limitmb": limitmb}
        if procs > 1:
            self._writer_options.update(procs=procs, multisegment=True)
        # Whoosh searchers are not thread-safe: one per thread, refreshed when stale.
        self._local = threading.local()
        self._snapshots: list[_Snapshot] = []
        self._snapshots_lock = threading.Lock()

    # Writing

    @contextmanager
    def _writing(self, **commit_options) -> Iterator[tuple]:
        try:
            writer = self._ix.writer(timeout=self._lock_timeout, **self._writer_options)
        except whoosh_index.LockError as error:
            raise IndexLockedError(
                f"The search index in {self._folder} is being written by another process "
                "(only one writer at a time); try again when it has finished."
            ) from error
        try:
            # Page texts commit first: if the index commit then fails, the stored
            # fingerprints still show the publications as stale.
            with self._pages.writing() as pages:
                yield writer, pages
        except BaseException:
            writer.cancel()
            raise
        writer.commit(**commit_options)

    def index(self, docs: Iterable[PublicationDoc]) -> None:
        """Add the publications, replacing any already indexed with the same id."""
        seen: set[str] = set()
        with self._writing() as (writer, pages):
            for doc in docs:
                if doc.publication_id in seen:
                    # Whoosh cannot replace a document added in the same session.
                    raise ValueError(f"publication {doc.publication_id} given twice")
                seen.add(doc.publication_id)
                writer.update_document(**document_fields(doc))
                pages.replace(doc.publication_id, doc.pages)

    def delete(self, publication_ids: Iterable[str]) -> None:
        """Remove the publications; unknown ids are ignored."""
        with self._writing() as (writer, pages):
            for publication_id in publication_ids:
                writer.delete_by_term("publication_id", publication_id)
                pages.delete(publication_id)

    def clear(self) -> None:
        """Remove every publication from the index."""
        with self._writing(mergetype=writing.CLEAR) as (_, pages):
            pages.clear()

    # Reading

    def ids(self) -> set[str]:
        """Return the ids of every indexed publication."""
        return set(self.fingerprints())

    def fingerprints(self) -> dict[str, str]:
        """Return each indexed publication's fingerprint."""
        searcher = self._snapshot().searcher
        return {
            stored["publication_id"]: stored["fingerprint"]
            for _, stored in searcher.reader().iter_docs()
        }

    def search(self, query: Query) -> SearchResults:
        """Return the publications matching the query."""
        return self._search(query, with_suggestion=True)

    def _search(self, query: Query, with_suggestion: bool) -> SearchResults:
        snapshot = self._snapshot()
        clauses = parse(query.text)
        vocabulary = IndexVocabulary(snapshot.searcher.reader())
        resolved = resolve(clauses, vocabulary)
        allowed = snapshot.allowed(query)
        if allowed is not None and not allowed:
            scored: list[tuple[int, float]] = []
        elif resolved:
            scores = snapshot.scorer().evaluate(plan(resolved))
            keep = snapshot.live_set() if allowed is None else allowed
            scored = [(docnum, score) for docnum, score in scores.items() if docnum in keep]
        else:
            everything = allowed if allowed is not None else snapshot.live()
            scored = [(docnum, 0.0) for docnum in everything]
        facets = snapshot.facet_counts({docnum for docnum, _ in scored})
        shown = snapshot.page_of(scored, query)
        hits = self._hits(snapshot, shown, resolved, query)
        suggestion = None
        if not scored and clauses and with_suggestion:
            suggestion = suggest(clauses, vocabulary)
            if suggestion and not self._search(replace(query, text=suggestion), False).total:
                suggestion = None  # a correction that finds nothing helps nobody
        return SearchResults(len(scored), hits, facets, suggestion)

    def _hits(self, snapshot: _Snapshot, shown: list[tuple[int, float]],
              resolved: list[Resolved], query: Query) -> list[Hit]:
        searcher = snapshot.searcher
        located = locate(searcher, [docnum for docnum, _ in shown], resolved) if resolved else {}
        hits = []
        for docnum, score in shown:
            stored = searcher.stored_fields(docnum)
            pages, best = choose_pages(located.get(docnum, {}), len(resolved), query.page_cap)
            if best is not None:
                text = self._pages.text(stored["publication_id"], best)
            else:
                text = stored["abstract"] or stored["title"]
            snippet = highlight(text, resolved, stored["language_code"])
            hits.append(Hit(stored["publication_id"], score, stored["title"], snippet, pages))
        return hits

    def _snapshot(self) -> _Snapshot:
        snapshot = getattr(self._local, "snapshot", None)
        if snapshot is None:
            snapshot = _Snapshot(self._ix.searcher())
            with self._snapshots_lock:
                self._snapshots.append(snapshot)
        elif not snapshot.searcher.up_to_date():
            # A new searcher rather than refresh(): refresh() fails once the index has
            # been emptied (Whoosh asks the empty reader for its segments).
            snapshot.searcher.close()
            snapshot.replace_searcher(self._ix.searcher())
        self._local.snapshot = snapshot
        return snapshot

    def close(self) -> None:
        """Close every searcher and page reader this engine opened."""
        with self._snapshots_lock:
            snapshots, self._snapshots = self._snapshots, []
        for snapshot in snapshots:
            snapshot.searcher.close()
        self._local = threading.local()
        self._pages.close()

    def __enter__(self) -> WhooshSearchEngine:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class _Snapshot:
    """A searcher and what is worth computing once per index version: facet doc sets."""

    def __init__(self, searcher) -> None:
        self.replace_searcher(searcher)

    def replace_searcher(self, searcher) -> None:
        """Point at a newer searcher and forget what was computed for the old one."""
        self.searcher = searcher
        self._facets: dict[str, dict[str, frozenset[int]]] | None = None
        self._newest: list[int] | None = None
        self._live: frozenset[int] | None = None
        self._scorer: Scorer | None = None

    def live(self) -> list[int]:
        """Return the document numbers of every publication."""
        return sorted(self.live_set())

    def live_set(self) -> frozenset[int]:
        """Return the document numbers of every publication, as a set."""
        if self._live is None:
            self._live = frozenset(self.searcher.reader().all_doc_ids())
        return self._live

    def scorer(self) -> Scorer:
        """Return the scorer of this index version (it caches field lengths)."""
        if self._scorer is None:
            self._scorer = Scorer(self.searcher)
        return self._scorer

    def facet_sets(self) -> dict[str, dict[str, frozenset[int]]]:
        """Return, per facet, the document numbers holding each value."""
        if self._facets is None:
            reader = self.searcher.reader()
            self._facets = {}
            for name in FACET_FIELDS:
                values = {}
                for btext in reader.lexicon(name):
                    value = btext.decode("utf-8")
                    docs = frozenset(self.searcher.docs_for_query(Term(name, value)))
                    if docs:  # the lexicon keeps deleted documents' terms until a merge
                        values[value] = docs
                self._facets[name] = values
        return self._facets

    def allowed(self, query: Query) -> set[int] | None:
        """Return the documents the filters allow (None when nothing is filtered)."""
        allowed: set[int] | None = None
        if query.within_publication is not None:
            wanted = Term("publication_id", query.within_publication)
            allowed = set(self.searcher.docs_for_query(wanted))
        sets = self.facet_sets()
        for name, wanted in query.filters.items():
            if not wanted:
                continue
            accepted = set().union(*(sets[name].get(value, ()) for value in wanted))
            allowed = accepted if allowed is None else allowed & accepted
        return allowed

    def facet_counts(self, matched: set[int]) -> dict[str, list[tuple[str, int]]]:
        """Return the facet counts over the matched documents."""
        counts = {
            name: {value: len(docs & matched) for value, docs in values.items()}
            for name, values in self.facet_sets().items()
        }
        return ordered_facets(counts)

    def page_of(self, scored: list[tuple[int, float]], query: Query) -> list[tuple[int, float]]:
        """Return the (docnum, score) pairs of the requested page, in order."""
        if self._newest is None:
            reader = self.searcher.reader()
            self._newest = list(reader.column_reader("newest")) if reader.doc_count_all() else []
        newest = self._newest
        end = query.page * query.per_page
        if query.sort == "newest":
            def coarse(pair):
                return (-newest[pair[0]], -pair[1])
        else:
            def coarse(pair):
                return (-pair[1], -newest[pair[0]])
        top = heapq.nsmallest(end, scored, key=coarse)
        if not top:
            return []
        # Only documents tied with the last one shown need their ids to break the tie.
        boundary = coarse(top[-1])
        in_top = {docnum for docnum, _ in top}
        tied = [pair for pair in scored if pair[0] not in in_top and coarse(pair) == boundary]
        ids = self.searcher.reader().column_reader("publication_id")
        ordered = sorted(
            top + tied,
            key=lambda pair: rank_key(query.sort, pair[1], newest[pair[0]], ids[pair[0]]),
        )
        return ordered[(query.page - 1) * query.per_page : end]
