"""The waiting-room board: the called tickets and their counters, large, refreshing itself.

The page is drawn once; its script asks `/antrean/data.json` every few seconds. Each call on the
board comes with how many times it was called and the addresses of its spoken clips
(`webapp.queue.voice`): a call the board has not heard yet (a new one, or a recall) chimes, then
says the call. Without JavaScript the page reloads itself instead.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template
from flask_babel import format_time, get_locale
from werkzeug.wrappers import Response

from library.frontoffice.queue.board import BoardCall, BoardView, board_view
from webapp.current_runtime import current_runtime
from webapp.queue.blueprint import bp
from webapp.queue.voice import call_clip_urls

REFRESH_SECONDS = 1  # how often the board's script asks for news: a call is on it within 2 s
FALLBACK_SECONDS = 10  # how often the board reloads itself without JavaScript


@bp.get("/antrean")
def board() -> str:
    """Show the board of the office's queues for a screen in the waiting room."""
    view = _view()
    return render_template(
        "queue/board.html",
        board=view,
        data=board_data(view),
        refresh_seconds=REFRESH_SECONDS,
        fallback_seconds=FALLBACK_SECONDS,
    )


@bp.get("/antrean/data.json")
def board_json() -> Response:
    """Answer the board's script: the latest calls, who waits, and the call sequence."""
    response = jsonify(board_data(_view()))
    response.headers["Cache-Control"] = "no-store"
    return response


def board_data(view: BoardView) -> dict[str, Any]:
    """Return the board as plain values for its script, names in the page's language."""
    english = str(get_locale()) == "en"
    return {
        "sequence": view.sequence,
        "day": view.day.isoformat(),
        "time": format_time(current_runtime().now(), "HH:mm"),
        "latest": _call(view.latest) if view.latest else None,
        "services": [
            {
                "code": service.code,
                "name": (service.name_en or service.name) if english else service.name,
                "waiting": service.waiting,
                "calls": [_call(call) for call in service.calls],
            }
            for service in view.services
        ],
    }


def _call(call: BoardCall) -> dict[str, Any]:
    """Return one call as plain values."""
    return {
        "code": call.code,
        "counter": call.counter,
        "calls": call.calls,
        "status": call.status.value,
        "priority": call.priority,
        "at": call.called_at.isoformat(),
        "clips": call_clip_urls(call),
    }


def _view() -> BoardView:
    """Read the board of the office this deployment serves."""
    rt = current_runtime()
    with rt.uow() as uow:
        return board_view(uow, rt.settings.office, rt.now())
