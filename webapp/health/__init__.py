"""/healthz: is this process able to serve?"""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from library import migrate
from library.errors import PustakaError
from webapp.runtime import runtime

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Answer 200 when the database answers with a current schema, else 503."""
    engine = runtime().engine
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        up_to_date = migrate.is_up_to_date(engine)
    except SQLAlchemyError:
        return {"status": "error", "database": "unreachable"}, 503
    if not up_to_date:
        return {"status": "error", "database": "schema out of date"}, 503
    try:
        instance = runtime().instance_id
    except (PustakaError, OSError):
        instance = ""  # no delivery key to name it by: `pustaka check` says what is wrong
    return {"status": "ok", "database": "ok", "instance": instance}, 200
