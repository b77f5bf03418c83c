"""One SQLAlchemy dialect per kind of database, and one cache of compiled SQL, for a test process's engines.

SQLAlchemy keeps the SQL it compiled from each statement in a cache of the engine's own, keyed
by the engine's dialect. A server makes one engine and compiles each statement once; a test
process makes one for nearly every test (each test has a database of its own), so it compiled
every statement a test ran again, test after test.

Here an engine `library.db.make_engine` makes takes the dialect of an earlier engine of the same
kind (the dialect's class, the URL's options and the engine's arguments but the pool's), once
that engine has connected and so has read its server's version, and every engine shares one
cache. Each engine's connections are set up as before (the pragmas, its own dialect's first
connect); the statements it runs are compiled once in the process. Only the tests install it
(`install`, from the root conftest): the application's engines are its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.util import LRUCache

import library.db

POOL_ARGUMENTS = frozenset({"pool_size", "max_overflow", "pool_pre_ping", "pool_timeout", "pool_recycle"})
# SQLAlchemy's default holds 500 statements per engine; this one serves every engine.
COMPILED: LRUCache[Any, Any] = LRUCache(20_000)
_dialects: dict[str, Dialect] = {}
_real_create_engine = library.db.create_engine


def create_engine(url: Any, **kwargs: Any) -> Engine:
    """Create the engine as SQLAlchemy does, then give it the shared dialect and compiled cache."""
    engine = _real_create_engine(url, **kwargs)
    kind = repr(
        (
            type(engine.dialect),
            sorted(engine.url.query.items()),
            sorted((name, repr(value)) for name, value in kwargs.items() if name not in POOL_ARGUMENTS),
        )
    )
    shared = _dialects.get(kind)
    if shared is None or shared.server_version_info is None:
        _dialects[kind] = engine.dialect  # shared from when it has connected
    else:
        engine.dialect = shared
    engine._compiled_cache = COMPILED  # noqa: SLF001 - the cache `compiled_cache` would name per connection
    return engine


def install() -> None:
    """Make `library.db.make_engine` share dialects and compiled SQL from now on."""
    library.db.create_engine = create_engine
