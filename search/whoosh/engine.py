"""The Whoosh search engine: an index folder that one process writes and any process reads."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.searching import Searcher

from search.clauses import parse
from search.engine import (
    Hit,
    IndexLockedError,
    PageHit,
    PageQuery,
    PageResults,
    PublicationDoc,
    Query,
    SearchResults,
)
from search.partial import omissions, topped_up
from search.querying import Resolved, resolve, suggest
from search.result_cache import ANSWERS_KEPT, ResultCache, answer_weight, query_key
from search.snippets import choose_clause_pages, highlight, pages_screen
from search.whoosh import memory as whoosh_memory
from search.whoosh.bulk import MAX_PROCS, BulkWriteFailed, BulkWriter
from search.whoosh.cache import IndexView, SegmentCache, SharedParts
from search.whoosh.documents import document_fields
from search.whoosh.page_store import PageStore
from search.whoosh.pages import KeptBlocks, locate
from search.whoosh.partial import fewer_words, in_part, most_held, short_of_one
from search.whoosh.query import IndexVocabulary, bonus_plan, plan
from search.whoosh.results import allowed_documents, facet_counts, language_of, page_of, weighed
from search.whoosh.schema import INDEX_NAME, build_schema, text_groups
from search.whoosh.scoring import Scorer
from search.whoosh.segment import TermSegmentWriter
from search.whoosh.versions import folder_stamp

whoosh_memory.install()  # one map per segment file, no copy per searcher

PAGE_STORE = "pages.sqlite"
BULK_PAGES = 2_000  # a rebuild of fewer pages is quicker in one process than in several


class WhooshSearchEngine:
    """Index publications in a folder and search them."""

    def __init__(
        self,
        folder: str | Path,
        *,
        lock_timeout: float = 5.0,
        procs: int = 1,
        limitmb: int = 128,
        bulk_pages: int = BULK_PAGES,
    ) -> None:
        self._folder = Path(folder)
        self._folder.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(self._folder, indexname=INDEX_NAME):
            self._ix = whoosh_index.open_dir(self._folder, indexname=INDEX_NAME)
        else:
            self._ix = whoosh_index.create_in(self._folder, build_schema(), indexname=INDEX_NAME)
        self._pages = PageStore(self._folder / PAGE_STORE)
        self._lock_timeout = lock_timeout
        self.bulk_pages = bulk_pages  # a rebuild of this many pages or more uses a process per core
        # procs > 1 writes one segment per process: for bulk (re)builds, not daily updates.
        self._limitmb = limitmb
        self._writer_options = {"limitmb": limitmb}
        if procs > 1:
            self._writer_options.update(procs=procs, multisegment=True)
        # Whoosh searchers are not thread-safe: one per thread, replaced when stale.
        # Each searcher is used only by the thread it was opened for (the key's value).
        self._local = threading.local()
        self._searchers: dict[Searcher, threading.Thread] = {}
        self._searchers_lock = threading.Lock()
        self._segments = SegmentCache()
        self._shared = SharedParts()  # what the threads' views of one version compute alike
        self._answers = ResultCache(weigh=answer_weight, budget=ANSWERS_KEPT)
        self._lookups = ResultCache(20_000)  # the vocabulary's, by word, and its words by first letter
        self._scores = Scorer.scores_cache()  # terms' BM25 scores, by term
        self._blocks = KeptBlocks()  # the page fields' posting blocks, decoded

    # Writing

    @contextmanager
    def _writing(self, bulk_procs: int = 0, by_term: bool = False, **commit_options) -> Iterator[tuple]:
        """Hold a writer and the page texts' transaction; commit both if the block succeeds.

        `bulk_procs` > 1 spreads the documents over that many processes; `by_term` writes a
        segment a term at a time (`TermSegmentWriter`, as those processes do): the same
        index, for writers that add many documents and merge nothing (a rebuild).
        """
        try:
            if bulk_procs > 1:
                writer = BulkWriter(self._ix, bulk_procs, timeout=self._lock_timeout, limitmb=self._limitmb)
            elif by_term and "procs" not in self._writer_options:
                writer = TermSegmentWriter(self._ix, timeout=self._lock_timeout, limitmb=self._limitmb)
            else:
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
            _abandon(writer)
            raise
        try:
            writer.commit(**commit_options)
        except BulkWriteFailed:  # nothing of the new index was committed: the old one stays
            _abandon(writer)
            raise

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

    def rebuild(self, docs: Iterable[PublicationDoc]) -> None:
        """Replace everything indexed by these publications, in one writing session.

        One writer takes them all: no commit, segment or merge per batch. With more than one
        core they are analysed by a process per core, each writing a segment of its own, and
        the old segments are dropped by the commit: searches see the old index until the new
        one is whole.
        """
        given = iter(docs)
        head, page_count = [], 0  # a small index is written by this process: starting others costs more
        for doc in given:
            head.append(doc)
            page_count += len(doc.pages)
            if page_count >= self.bulk_pages:
                break
        procs = _bulk_procs(self._writer_options) if page_count >= self.bulk_pages else 0
        seen: set[str] = set()
        with self._writing(procs, by_term=True, mergetype=writing.CLEAR) as (writer, pages):
            pages.clear()
            for doc in itertools.chain(head, given):
                if doc.publication_id in seen:
                    raise ValueError(f"publication {doc.publication_id} given twice")
                seen.add(doc.publication_id)
                writer.add_document(**document_fields(doc))
                pages.add(doc.publication_id, doc.pages)

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
        reader = self._view().searcher.reader()
        return {stored["publication_id"]: stored["fingerprint"] for _, stored in reader.iter_docs()}

    def search(self, query: Query) -> SearchResults:
        """Return the publications matching the query (one shared answer while the index is unchanged)."""
        view = self._view()
        compute = lambda: self._search(view, query, with_suggestion=True)  # noqa: E731
        return self._answers.get(view.version, query_key(query), compute)

    def search_pages(self, query: PageQuery) -> PageResults:
        """Return the pages of one publication that hold the words, in page order."""
        view = self._view()
        return self._answers.get(view.version, query, lambda: self._search_pages(view, query))

    def _search_pages(self, view: IndexView, query: PageQuery) -> PageResults:
        within = Query(
            text=query.text, within_publication=query.publication_id, closed_text=query.closed_text
        )
        results = self._search(view, within, with_suggestion=True)
        numbers = results.hits[0].pages if results.hits else ()
        resolved = resolve(parse(query.text), self._vocabulary(view, query.closed_text))
        language = language_of(view, query.publication_id)
        pages = [
            PageHit(number, highlight(self._pages.text(query.publication_id, number), resolved, language))
            for number in pages_screen(numbers, query.page, query.per_page)
        ]
        return PageResults(len(numbers), pages, results.suggestion if not numbers else None)

    def _search(self, view: IndexView, query: Query, with_suggestion: bool) -> SearchResults:
        clauses = parse(query.text)
        vocabulary = self._vocabulary(view, query.closed_text)
        resolved = resolve(clauses, vocabulary, query.known)
        allowed = allowed_documents(view, query)
        ways = omissions(query.text, resolved, query.known, query.quiet) if query.partial else []
        plans, bonus = plan(resolved, query.closed_text, query.quiet), bonus_plan(resolved, query.quiet)
        scorer = Scorer(view, self._scores)
        tally = (
            scorer.tally(plans, [way.left_out for way in ways], every=query.most) if ways else None
        )  # who holds which clause
        if resolved:
            scores = tally.everywhere(bonus) if tally is not None else scorer.evaluate(plans, bonus)
            scored = weighed(view, scores, query, resolved, allowed)
        else:
            scored = [(docnum, 0.0) for docnum in sorted(allowed)]
        suggestion = None
        if not scored and clauses and with_suggestion:
            suggestion = suggest(clauses, vocabulary, query.known)
            fixed = replace(query, text=suggestion or "", partial=False)
            if suggestion and not self._search(view, fixed, False).total:
                suggestion = None  # a correction that finds nothing helps nobody
        omission = None
        if not scored and not suggestion and tally is not None:  # every clause but one piece's
            omission, scored = in_part(view, tally, ways, query, allowed)
            if omission is None and query.most:  # the publications holding the most pieces
                omission, scored = most_held(view, tally, ways, resolved, query, allowed)
        if omission is not None:
            resolved, clauses = omission.rest, omission.without(clauses)
        fewer = []  # too few hold every clause: those lacking one piece follow them
        if tally is not None and omission is None and topped_up(query, len(scored)):
            fewer = short_of_one(view, tally, ways, query, allowed)
        hits = self._hits(view, page_of(view, scored, query), resolved, query)
        hits += fewer_words(
            view, fewer, len(scored), query, lambda shown, rest: self._hits(view, shown, rest, query)
        )
        corrected = (
            suggest(clauses, vocabulary, query.known) if scored and clauses and with_suggestion else None
        )
        left_out = omission.typed if omission is not None else ()
        listed = {d for d, _ in scored} | {d for d, _, _ in fewer}
        return SearchResults(
            len(scored) + len(fewer),
            hits,
            facet_counts(view, listed),
            suggestion,
            corrected,
            left_out,
            len(fewer),
        )

    def _vocabulary(self, view: IndexView, closed_text: bool) -> IndexVocabulary:
        return IndexVocabulary(view.searcher.reader(), closed_text, self._lookups, view.version)

    def _hits(
        self, view: IndexView, shown: list[tuple[int, float]], resolved: list[Resolved], query: Query
    ) -> list[Hit]:
        searcher = view.searcher
        docnums = [docnum for docnum, _ in shown]
        groups = text_groups(query.closed_text)
        located = locate(searcher, docnums, resolved, groups, self._blocks, view.version) if resolved else {}
        hits = []
        for docnum, score in shown:
            stored = searcher.stored_fields(docnum)
            pages, best = choose_clause_pages(located.get(docnum, ()), query.page_cap)
            if best is not None:
                text = self._pages.text(stored["publication_id"], best)
            else:
                text = stored["abstract"] or stored["title"]
            snippet = highlight(text, resolved, stored["language_code"])
            hits.append(Hit(stored["publication_id"], score, stored["title"], snippet, pages))
        return hits

    def _view(self) -> IndexView:
        """Return this thread's view of the latest index version.

        Call it only at the start of a public method: it closes the view this thread
        used before, which no other thread uses.
        """
        view = getattr(self._local, "view", None)
        stamp = folder_stamp(self._folder)  # before the check: a change after it shows next time
        if view is not None and ((stamp is not None and stamp == view.stamp) or view.searcher.up_to_date()):
            view.stamp = stamp
            return view
        # Never Searcher.refresh(): in Whoosh-Reloaded 2.7.5 it keeps the readers of
        # segments merged away and the old deletions of the segments it reuses, so a
        # long-lived searcher counted an updated publication once per version. A fresh
        # searcher costs a few milliseconds per segment, once per thread per change; the
        # per-segment cache keeps the costly parts of the segments that did not change.
        searcher = self._ix.searcher()
        current = threading.current_thread()
        with self._searchers_lock:
            self._searchers[searcher] = current
            # A thread that ended cannot be searching: close what it left open.
            retired = [s for s, thread in self._searchers.items() if not thread.is_alive()]
            if view is not None:
                retired.append(view.searcher)
            for old in retired:
                del self._searchers[old]
        for old in retired:
            old.close()
        view = IndexView(searcher, self._segments, self._shared)
        view.stamp = stamp
        self._local.view = view
        return view

    def close(self) -> None:
        """Close every searcher and page reader this engine opened."""
        with self._searchers_lock:
            searchers, self._searchers = list(self._searchers), {}
        for searcher in searchers:
            searcher.close()
        self._local = threading.local()
        self._pages.close()

    def __enter__(self) -> WhooshSearchEngine:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _bulk_procs(options: dict) -> int:
    """Return how many processes write a full rebuild: one per core (up to MAX_PROCS), 0 for this one."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if options.get("procs", 1) > 1 or cores < 2:
        return 0
    return min(cores, MAX_PROCS)


def _abandon(writer) -> None:  # noqa: ANN001 (a Whoosh writer)
    """Cancel a writer; a bulk writer's processes end first, before the index's lock is let go."""
    if isinstance(writer, BulkWriter):
        writer.stop_tasks()
    writer.cancel()
