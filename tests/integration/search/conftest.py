"""Fixtures for the search engine contract: every engine, one small library."""

from __future__ import annotations

import pytest

from search.engine import PublicationDoc
from search.memory.engine import MemorySearchEngine
from search.postgres.engine import PostgresSearchEngine
from search.whoosh.engine import WhooshSearchEngine
from tests.conftest import postgres_schema
from tests.integration.search.library_docs import LIBRARY, make_doc


@pytest.fixture
def library() -> list[PublicationDoc]:
    """Return the small library most contract tests search."""
    return list(LIBRARY)


@pytest.fixture(
    params=[
        pytest.param("memory", marks=pytest.mark.unit),
        pytest.param("whoosh", marks=pytest.mark.integration),
        # Not marked `postgres`: that mark leaves a test untraced by coverage because its
        # SQLite run traces the same code, and this engine's code runs on PostgreSQL only.
        pytest.param("postgres", marks=pytest.mark.integration),
    ]
)
def engine(request, tmp_path):
    """Return an empty engine of each kind (PostgreSQL's in a schema of its own)."""
    if request.param == "memory":
        yield MemorySearchEngine()
    elif request.param == "whoosh":
        with WhooshSearchEngine(tmp_path / "index", lock_timeout=0.2) as whoosh:
            yield whoosh
    else:
        with postgres_schema("search_test", migrated=False) as url:
            with PostgresSearchEngine(url) as postgres:
                yield postgres


@pytest.fixture
def indexed(engine, library):
    """Return an engine holding the small library."""
    engine.index(library)
    return engine


@pytest.fixture(name="make_doc")
def make_doc_fixture():
    """Return the helper that builds a publication from its page texts."""
    return make_doc
