"""What every command gets: the process's runtime, and errors turned into one clear line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from library.errors import PustakaError
from runtime.root import Runtime

pass_runtime = click.make_pass_decorator(Runtime)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn domain and database errors into one clear line and exit code 1."""
    try:
        yield
    except PustakaError as exc:
        raise click.ClickException(str(exc)) from None
    except OperationalError as exc:
        raise click.ClickException(
            f"The database cannot be used: {exc.orig or exc}. "
            "Check PUSTAKA_DATABASE_URL or run 'pustaka check'."
        ) from None
    except SQLAlchemyError as exc:
        # The driver's message only: SQLAlchemy adds the statement and its parameters on more lines.
        first = (str(exc.orig if isinstance(exc, DBAPIError) else exc).splitlines() or [""])[0]
        raise click.ClickException(f"Database error: {exc.__class__.__name__}: {first}") from None
