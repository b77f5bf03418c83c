"""What an address may hold: ids a row can have, path text without control characters, no NUL.

Odd addresses (/katalog/99999999999999999999, /permintaan/%00, ?kantor=%00) must answer
"not found" or "bad request", never reach the database driver and fail there: PostgreSQL
refuses an id past its 32-bit column and any text holding a NUL.
"""

from __future__ import annotations

import unicodedata

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter, ValidationError

from library.models import MAX_ROW_ID


class RowNumber(IntegerConverter):
    """`<int:…>` in every route: a number larger than a row id can be matches no page (404)."""

    def __init__(
        self, url_map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None
    ) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=MAX_ROW_ID if max is None else max)


class PathText(UnicodeConverter):
    """`<name>` in every route: a segment holding a control character (%00, %0d%0a) matches no page (404).

    No token, request number or console name of ours holds one.
    """

    def to_python(self, value: str) -> str:
        """Return the segment, or refuse the match when it holds a control character."""
        if any(unicodedata.category(ch) == "Cc" for ch in value):
            raise ValidationError()
        return value


def refuse_nul() -> None:
    """Answer 400 to an address whose query holds a NUL: no field of ours may, and no database stores one.

    OAI-PMH answers every wrong argument itself, as the protocol's badArgument (status 200).
    """
    if request.blueprint == "oai":
        return
    if any("\x00" in name or any("\x00" in v for v in values) for name, values in request.args.lists()):
        abort(400)


def init_app(app: Flask) -> None:
    """Use the bounded converters in every route (call before any is added) and refuse NULs."""
    app.url_map.converters["int"] = RowNumber
    app.url_map.converters["default"] = app.url_map.converters["string"] = PathText
    app.before_request(refuse_nul)
