"""Page texts beside the Whoosh index, for snippets.

Whoosh's stored fields load a document's whole record at once, and one record per page
inside the index would distort its scoring (BM25 averages field lengths over every
document). A small SQLite file keyed by (publication, page) returns one page cheaply.
Only the index writer writes it, while it holds the Whoosh lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from search.engine import PageText

_SCHEMA = """
CREATE TABLE IF NOT EXISTS page (
    publication_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (publication_id, number)
)
"""  # a rowid table: page texts are too long for WITHOUT ROWID to pay off
# A reading connection's own page cache, in KiB. A page is read by its key, a walk of three or
# four B-tree pages the system's file cache already holds; SQLite's default (2 MB a connection,
# one connection a thread) only copies that cache into every thread: 34 MB of a web process's
# heap at 16 threads once the file outgrows it.
READER_CACHE_KIB = 256


class PageStore:
    """Read and replace the page texts of publications in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self._path = path
        # One reading connection per thread, like Whoosh searchers (the key's value).
        self._local = threading.local()
        self._readers: dict[sqlite3.Connection, threading.Thread] = {}
        self._readers_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, timeout=30)
        # WAL lets searching processes read while the writer replaces pages.
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(_SCHEMA)
        return connection

    def _reader(self) -> sqlite3.Connection | None:
        reader = getattr(self._local, "connection", None)
        if reader is None and self._path.exists():
            # Read-only: a searching process never writes, not even the schema.
            uri = f"{self._path.as_uri()}?mode=ro"
            reader = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
            reader.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
            self._local.connection = reader
            with self._readers_lock:
                self._readers[reader] = threading.current_thread()
                # A thread that ended cannot be reading: close what it left open.
                ended = [r for r, thread in self._readers.items() if not thread.is_alive()]
                for old in ended:
                    del self._readers[old]
            for old in ended:
                old.close()
        return reader

    def text(self, publication_id: str, number: int) -> str:
        """Return one page's text ('' if unknown)."""
        reader = self._reader()
        if reader is None:
            return ""
        row = reader.execute(
            "SELECT text FROM page WHERE publication_id = ? AND number = ?",
            (publication_id, number),
        ).fetchone()
        return row[0] if row else ""

    @contextmanager
    def writing(self) -> Iterator[PageWriter]:
        """Open a transaction that commits only if the block succeeds."""
        connection = self._connect()
        try:
            with connection:
                yield PageWriter(connection)
        finally:
            connection.close()

    def close(self) -> None:
        """Close every reading connection."""
        with self._readers_lock:
            readers, self._readers = list(self._readers), {}
        for reader in readers:
            reader.close()
        self._local = threading.local()


class PageWriter:
    """Changes to the page texts inside one transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def replace(self, publication_id: str, pages: Iterable[PageText]) -> None:
        """Replace every page of the publication."""
        self.delete(publication_id)
        self._connection.executemany(
            "INSERT OR REPLACE INTO page (publication_id, number, text) VALUES (?, ?, ?)",
            ((publication_id, page.number, page.text) for page in pages),
        )

    def add(self, publication_id: str, pages: Iterable[PageText]) -> None:
        """Add the pages of a publication that has none here (after `clear`)."""
        self._connection.executemany(
            "INSERT OR REPLACE INTO page (publication_id, number, text) VALUES (?, ?, ?)",
            ((publication_id, page.number, page.text) for page in pages),
        )

    def delete(self, publication_id: str) -> None:
        """Remove every page of the publication."""
        self._connection.execute("DELETE FROM page WHERE publication_id = ?", (publication_id,))

    def clear(self) -> None:
        """Remove every page of every publication."""
        self._connection.execute("DELETE FROM page")
