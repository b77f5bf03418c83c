"""The board's spoken call: each call's clips as addresses, and the clips themselves, cached.

The board plays a call as the clips `library.frontoffice.voice` names for it, in order: this
module gives the board their addresses with each call, and serves them. Only a clip a call can
ask for is served (a name outside that set is 404 before any file is looked at: no path is ever
built from what the address says). Each host serves the clips made under its own instance folder.
"""

from __future__ import annotations

import logging

from flask import abort, send_file, url_for
from werkzeug.wrappers import Response

from library.frontoffice.queue.board import BoardCall
from library.frontoffice.voice.clips import AUDIO_TYPES, VoiceFolders, clip_file
from library.frontoffice.voice.phrases import English, Reading, spoken_call
from webapp.current_runtime import current_runtime
from webapp.queue.blueprint import bp

log = logging.getLogger(__name__)

CLIP_MAX_AGE = 3600  # seconds a board keeps a clip without asking again (then a 304 by its ETag)


@bp.get("/antrean/suara/<language>/<clip>")
def voice_clip(language: str, clip: str) -> Response:
    """Send one clip of the board's spoken call: the office's recording, else the synthesized one."""
    path = clip_file(VoiceFolders.of(current_runtime().settings), language, clip)
    if path is None:
        log.warning("voice clip %s/%s asked for and not found (run 'pustaka voice build')", language, clip)
        abort(404)
    response = send_file(path, mimetype=AUDIO_TYPES[path.suffix], max_age=CLIP_MAX_AGE, conditional=True)
    response.headers["Cache-Control"] = f"public, max-age={CLIP_MAX_AGE}"
    return response


def call_clip_urls(call: BoardCall) -> list[str]:
    """Return the addresses of the clips the board plays for a call, in order."""
    settings = current_runtime().settings
    said = spoken_call(
        call.code,
        call.counter,
        call.language,
        Reading(settings.voice_numbers),
        English(settings.voice_english),
    )
    return [url_for("queue.voice_clip", language=language, clip=clip) for language, clip in said]
