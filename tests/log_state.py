"""Keeping the test process's logging as it was around a test that sets it up (`runtime.logs`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from runtime import logs


@contextmanager
def kept_logging() -> Iterator[None]:
    """Restore the root logger's handlers and level, Huey's and Alembic's loggers and the process name."""
    root, huey = logging.getLogger(), logging.getLogger("huey")
    handlers, level = root.handlers[:], root.level
    huey_level, huey_filters = huey.level, huey.filters[:]
    alembic_level = logging.getLogger("alembic").level
    process = logs._process_name
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
        huey.setLevel(huey_level)
        huey.filters[:] = huey_filters
        logging.getLogger("alembic").setLevel(alembic_level)
        logs.name_process(process)
