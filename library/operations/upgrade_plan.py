"""What `pustaka db upgrade` would do to a database, told before it does it (`pustaka db status`).

Each migration says in its own module what a long upgrade must know: a module-level `REWRITES`
string when it rewrites or rebuilds the rows of a table (an UPDATE over every row, a table SQLite
copies to change a constraint) rather than only adding a table, column or empty index; a note
that starts "On SQLite," or "On PostgreSQL," concerns that database only. The
search index is rebuilt after the migrations (`refresh_index`) when the engine in use holds none
of the listed publications or holds them under other analysis rules: `index_rebuild` tells that
beforehand from the index and two plain counts, which read the same on every older schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from library import migrate
from library.catalogue.indexing import analysis_signature
from search.engine import SearchEngine

PACKAGE = "library.migrations.versions"


@dataclass(frozen=True)
class Step:
    """One migration an upgrade runs: its revision, what it does, and what makes it long (if anything)."""

    revision: str
    description: str
    rewrites: str = ""


@dataclass(frozen=True)
class IndexRebuild:
    """The search index an upgrade rebuilds: how many publications and pages it takes in, and why."""

    publications: int
    pages: int
    reason: str


def steps(revision: str | None, dialect: str = "") -> list[Step]:
    """Return the migrations from the revision (None: an empty database) up to the head, oldest first.

    With a dialect ("sqlite", "postgresql"), a note about the other database only is left out.
    """
    chain = migrate.revision_chain()
    head = migrate.head_revision()
    found: list[Step] = []
    at = head
    while at is not None and at != revision:
        found.append(_step(at, dialect))
        at = chain.get(at)
    return list(reversed(found))


def _step(revision: str, dialect: str) -> Step:
    """Return one migration's step, read from its module: the docstring's first line and `REWRITES`."""
    script = next(p for p in migrate.VERSIONS.glob(f"{revision}_*.py"))
    module = import_module(f"{PACKAGE}.{script.stem}")
    description = (module.__doc__ or revision).strip().splitlines()[0]
    rewrites = str(getattr(module, "REWRITES", ""))
    only = {"sqlite": "On SQLite,", "postgresql": "On PostgreSQL,"}
    if dialect and any(rewrites.startswith(note) for name, note in only.items() if name != dialect):
        rewrites = ""
    return Step(revision, description, rewrites)


def index_rebuild(engine: Engine, open_index: Callable[[], SearchEngine]) -> IndexRebuild | None:
    """Return the rebuild of the search index an upgrade will run, or None when the index is current.

    As `refresh_index` decides after the migrations: an index holding no publication while the
    catalogue has some (search moved to another engine, or its tables come with the upgrade), or
    one made under other analysis rules (a release that changed the glossary).
    """
    publications, pages = _catalogue_size(engine)
    if not publications:
        return None
    try:
        held = open_index().fingerprints()
    except (SQLAlchemyError, OSError):
        held = {}  # the engine's tables do not exist yet: the upgrade makes them, then fills them
    if not held:
        return IndexRebuild(publications, pages, "the index holds no publication")
    current = analysis_signature()
    if not all(fingerprint.startswith(current) for fingerprint in held.values()):
        return IndexRebuild(publications, pages, "the index was made under other analysis rules")
    return None


def _catalogue_size(engine: Engine) -> tuple[int, int]:
    """Return how many publications and page texts the database holds (0, 0 without a catalogue)."""
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if "publication" not in tables:
            return 0, 0
        publications = connection.execute(text("SELECT count(*) FROM publication")).scalar() or 0
        pages = 0
        if "page_text" in tables:
            pages = connection.execute(text("SELECT count(*) FROM page_text")).scalar() or 0
    return int(publications), int(pages)
