"""A small Whoosh index of staff-written answers to common questions (the knowledge base).

It lives in a folder of its own, beside the publications' index, on purpose: that index holds
one document per publication with page sets, facets and fingerprints the library compares
with its publications, and a change to its schema means indexing every page again. Answers
are a few hundred short texts with none of that: here they are searched with the same words
and Indonesian stems (`search.analysis`), rebuilt in a second, and never count in the
publications' totals or facets.

Like the publications' index, one process writes it (the job worker) and any process reads it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from whoosh import fields, scoring, writing
from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.query import Or, Term
from whoosh.searching import Searcher

from search.analysis import STOPWORDS, TOKEN_PATTERN, stem_indonesian, tokens
from search.answers import MAX_ANSWER_HITS, TEXT_FIELDS, AnswerDoc, AnswerHit
from search.engine import IndexLockedError
from search.result_cache import ResultCache
from search.whoosh import memory as whoosh_memory
from search.whoosh.versions import folder_stamp, index_version

whoosh_memory.install()  # one map per segment file, no copy per searcher

ANSWERS_SCHEMA_VERSION = 1
ANSWERS_INDEX_NAME = f"answers_v{ANSWERS_SCHEMA_VERSION}"


def _analyzer():
    """Return the analysis of every text field: words, no stopwords, Indonesian stems."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=1)
        | StemFilter(stemfn=stem_indonesian)
    )


def _schema() -> fields.Schema:
    """Return the schema: the id, and the question, topic and answer as stemmed text."""
    return fields.Schema(
        answer_id=fields.ID(stored=True, unique=True),
        **{name: fields.TEXT(analyzer=_analyzer(), field_boost=boost) for name, boost in TEXT_FIELDS.items()},
    )


class WhooshAnswerIndex:
    """Index published answers in a folder and find the ones whose words match a search."""

    def __init__(self, folder: str | Path, *, lock_timeout: float = 5.0) -> None:
        self._folder = Path(folder)
        self._folder.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(self._folder, indexname=ANSWERS_INDEX_NAME):
            self._ix = whoosh_index.open_dir(self._folder, indexname=ANSWERS_INDEX_NAME)
        else:
            self._ix = whoosh_index.create_in(self._folder, _schema(), indexname=ANSWERS_INDEX_NAME)
        self._lock_timeout = lock_timeout
        self._lock = threading.Lock()  # searchers are not thread-safe: one search at a time
        self._searcher: Searcher | None = None
        self._generation = -1
        self._stamp: int | None = None
        self._version: tuple[int, tuple] | None = None  # (folder stamp, index version) last read
        self._answers = ResultCache(256)  # the same list for the same words while the index is unchanged

    def _writer(self):
        try:
            return self._ix.writer(timeout=self._lock_timeout)
        except whoosh_index.LockError as error:
            raise IndexLockedError(
                f"The answers index in {self._folder} is being written by another process; try again."
            ) from error

    def index(self, docs: Iterable[AnswerDoc]) -> None:
        """Add the answers, replacing any already indexed with the same id."""
        writer = self._writer()
        try:
            for doc in docs:
                writer.update_document(
                    answer_id=doc.answer_id, title=doc.title, topic=doc.topic, body=doc.body
                )
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def delete(self, answer_ids: Iterable[str]) -> None:
        """Remove the answers; unknown ids are ignored."""
        writer = self._writer()
        for answer_id in answer_ids:
            writer.delete_by_term("answer_id", answer_id)
        writer.commit()

    def clear(self) -> None:
        """Remove every answer."""
        self._writer().commit(mergetype=writing.CLEAR)

    def ids(self) -> set[str]:
        """Return the ids of every indexed answer."""
        with self._lock:
            searcher = self._fresh()
            return {stored["answer_id"] for _, stored in searcher.reader().iter_docs()}

    def search(self, text: str, limit: int = 5) -> list[AnswerHit]:
        """Return the answers holding any of the words (stems), best first."""
        stems = dict.fromkeys(stem_indonesian(word) for word, _, _ in tokens(text[:500]))
        if not stems or limit < 1:
            return []
        limit = min(limit, MAX_ANSWER_HITS)
        return self._answers.get(
            self._latest(), (tuple(stems), limit), lambda: self._search(list(stems), limit)
        )

    def _latest(self) -> tuple:
        """Return the version of the index now; without the lock while its folder is unchanged.

        Every search page asks: under the lock, sixteen threads queued behind one stat of the
        folder (a tenth of a librarian's page's time spent waiting here).
        """
        stamp = folder_stamp(self._folder)
        kept = self._version  # one read of an immutable pair: no lock needed
        if stamp is not None and kept is not None and kept[0] == stamp:
            return kept[1]
        with self._lock:
            version = index_version(self._fresh())
            if self._stamp is not None:
                self._version = (self._stamp, version)
            return version

    def _search(self, stems: list[str], limit: int) -> list[AnswerHit]:
        with self._lock:
            searcher = self._fresh()
            reader = searcher.reader()
            # Only the terms the answers hold: an absent term adds nothing to BM25F's sum, and most
            # of a search page's words are in no answer (then no search is made at all).
            terms = [Term(name, stem) for name in TEXT_FIELDS for stem in stems if (name, stem) in reader]
            if not terms:
                return []
            found = searcher.search(Or(terms), limit=limit)
            return [AnswerHit(hit["answer_id"], float(hit.score or 0.0)) for hit in found]

    def _fresh(self) -> Searcher:
        """Return a searcher on the latest version of the index."""
        # The index's latest generation, not Searcher.up_to_date(): an empty index's searcher
        # is never up to date (its reader's generation is -1), so one was opened per search.
        stamp = folder_stamp(self._folder)  # before the check: a change after it shows next time
        if self._searcher is not None and stamp is not None and stamp == self._stamp:
            return self._searcher
        latest = self._ix.latest_generation()
        if self._searcher is None or latest != self._generation:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self._ix.searcher(weighting=scoring.BM25F())
            self._generation = latest
        self._stamp = stamp
        return self._searcher

    def close(self) -> None:
        """Close the searcher this index opened."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
