"""Full-text search over publications: a pure engine, values in and values out.

- ``search.engine``: the ``SearchEngine`` protocol and its value types.
- ``search.whoosh.engine.WhooshSearchEngine``: the real engine, an index folder.
- ``search.postgres.engine.PostgresSearchEngine``: the same in PostgreSQL tables, which every
  host reads and a publication's own transaction can write (``search.postgres.tables.store``).
- ``search.memory.engine.MemorySearchEngine``: the same contract in memory, for tests.

It never imports ``library``, ``webapp`` or ``flask``.
"""

from search.engine import (
    Hit,
    IndexLockedError,
    PageText,
    PublicationDoc,
    Query,
    SearchEngine,
    SearchError,
    SearchResults,
)

__all__ = [
    "Hit",
    "IndexLockedError",
    "PageText",
    "PublicationDoc",
    "Query",
    "SearchEngine",
    "SearchError",
    "SearchResults",
]
