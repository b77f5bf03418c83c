"""How large a request body may be: small for every form, large only for a librarian's files.

Every page's form fits in `FORM_LIMIT`. Only the routes that take a file (ingest upload, a
scan for a visitor, tracing a leaked copy) accept up to `PUSTAKA_MAX_UPLOAD_MB`, and only
from a signed-in librarian. The consultation forms that take attachments accept
`ATTACHMENT_LIMIT` (three files of 5 MB and the form) from anyone signed in, and the
complaint forms, open to anyone, take their few small attachments and no more
(`COMPLAINT_LIMIT`). The limit is
set on each request before anything reads its body (this hook runs before the CSRF check,
which parses the form): a declared Content-Length over it is answered 413 at once, and a
chunked body is cut off with a 413 once it passes it.

Under `pustaka serve`, waitress reads a body before the app sees the request, so the server
applies the same limits first (`webapp.server.body_gate`): it cannot see roles, so there the large
limit needs a valid session of a signed-in person, and the app still asks for the role.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, BinaryIO

from flask import Flask, abort, current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.http import parse_cookie

from library.consultation.attachments import MAX_BYTES, MAX_FILES
from library.models import Role
from library.quality.complaints.records import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from webapp.auth import current_actor
from webapp.current_runtime import current_runtime

FORM_LIMIT = 256 * 1024  # the longest form (a publication's abstract) is a few kilobytes
FILE_ROUTES = frozenset({"desk.upload", "desk.trace", "scans.submit"})
FILE_ROLE = Role.LIBRARIAN  # the role those routes ask for (admins hold every role)
# The consultation forms with attachments: the question, the user's reply, reopening, the answer
# to an appointment, the consultant's message.
ATTACHMENT_ROUTES = frozenset(
    {
        "consultation.new",
        "consultation.reply",
        "consultation.reopen",
        "consultation.answer_appointment",
        "consultation.message",
    }
)
ATTACHMENT_LIMIT = MAX_FILES * MAX_BYTES + FORM_LIMIT
# The complaint forms (public, and the staff's entry): three files of 5 MB and the form.
COMPLAINT_ROUTES = frozenset({"complaints.new", "complaints.desk_new"})
COMPLAINT_LIMIT = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + FORM_LIMIT
FORM_PARTS = 1000  # Flask's default; a folder of page images may have more, one per page
# Set by the server's gate on a request whose body it did not read (webapp.server.body_gate).
REFUSED_HEADER = "X-Pustaka-Body-Refused"
REFUSED_ENVIRON = "HTTP_" + REFUSED_HEADER.upper().replace("-", "_")


def file_limit(app: Flask) -> int:
    """Return the largest body a librarian may send with a file: the largest file and its form."""
    return int(app.config["MAX_CONTENT_LENGTH"])


def sends_attachments() -> bool:
    """Tell whether this request may carry a consultation's attachments: such a route, anyone signed in."""
    return request.endpoint in ATTACHMENT_ROUTES and current_actor() is not None


def sends_files() -> bool:
    """Tell whether this request may carry a large file: a file route, sent by a librarian."""
    if request.endpoint not in FILE_ROUTES:
        return False
    actor = current_actor()
    return actor is not None and actor.has_role(FILE_ROLE)


class CappedBody(io.RawIOBase):
    """A body of unknown length (chunked) read through a limit: a byte past it answers 413.

    Werkzeug's own limit ends such a body quietly at the limit, and the form would be parsed
    cut short; this raises instead.
    """

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self._stream, self._limit, self._count = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(min(len(buffer), self._limit + 1 - self._count))
        self._count += len(data)
        if self._count > self._limit:
            raise RequestEntityTooLarge()
        buffer[: len(data)] = data
        return len(data)


def limit_body() -> None:
    """Set this request's body limit, and answer 413 now if the declared length is over it."""
    if request.environ.get(REFUSED_ENVIRON):
        abort(413)  # the server kept the body out: it was over the limit for this route
    length = request.content_length
    chunked = length is None and bool(request.environ.get("wsgi.input_terminated"))
    if not length and not chunked:
        request.max_content_length = FORM_LIMIT
        return
    limit = COMPLAINT_LIMIT if request.endpoint in COMPLAINT_ROUTES else FORM_LIMIT
    if sends_attachments():
        limit = ATTACHMENT_LIMIT
    if sends_files():
        limit = file_limit(current_app)
        request.max_form_parts = current_runtime().settings.ingest_max_pages + FORM_PARTS
    if chunked:  # nothing read yet: read from here on, it stops with a 413 past the limit
        request.environ["wsgi.input"] = CappedBody(request.environ["wsgi.input"], limit)
        request.max_content_length = limit + 1
    else:
        request.max_content_length = limit
        if length is not None and length > limit:
            abort(413)  # before a single byte of the body is read


def refusal() -> tuple[str, str]:
    """Return the title and explanation of a 413 page for this request."""
    if request.endpoint in COMPLAINT_ROUTES:
        return _("Files too large"), _(
            "Attach at most %(n)s files of %(mb)s MB each. "
            "Go back, leave out the largest and send the form again.",
            n=MAX_ATTACHMENTS,
            mb=MAX_ATTACHMENT_BYTES // (1024 * 1024),
        )
    if request.endpoint in ATTACHMENT_ROUTES and current_actor() is not None:
        return _("Files too large"), _(
            "Attach at most %(n)s files of at most %(mb)s MB each. Go back and send smaller files.",
            n=MAX_FILES,
            mb=MAX_BYTES // (1024 * 1024),
        )
    if request.endpoint not in FILE_ROUTES:
        return _("Too much was sent"), _(
            "This page accepts at most %(kb)s KB, and more was sent. "
            "Go back, shorten what you wrote and send it again.",
            kb=FORM_LIMIT // 1024,
        )
    if not sends_files():
        return _("File too large"), _(
            "Only library staff who are signed in can send files here. Sign in, then send the file again."
        )
    mb = current_runtime().settings.max_upload_mb
    return _("File too large"), _(
        "The file is larger than this site accepts: at most %(mb)s MB. Split it into smaller files, "
        "or ask the administrator to raise PUSTAKA_MAX_UPLOAD_MB.",
        mb=mb,
    )


def gate_limit(app: Flask) -> Callable[[str, str], int]:
    """Return the server's first judgement of a body limit, from the path and the Cookie header.

    The large limit needs a file route and a validly signed session of a signed-in person
    (the role is the app's to check, from the database); anything else gets the form limit.
    """
    file_paths = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint in FILE_ROUTES}
    complaint_paths = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint in COMPLAINT_ROUTES}
    adapter = app.url_map.bind("localhost")
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    max_age = int(app.permanent_session_lifetime.total_seconds())
    large = file_limit(app)

    def limit(path: str, cookies: str) -> int:
        if path in complaint_paths:
            return COMPLAINT_LIMIT  # anyone may complain: no session needed
        large_here = large if path in file_paths else ATTACHMENT_LIMIT if _attaches(path) else 0
        if not large_here or serializer is None:
            return FORM_LIMIT
        value = parse_cookie(cookies).get(cookie_name)
        if not value:
            return FORM_LIMIT
        try:
            session = serializer.loads(value, max_age=max_age)
        except BadSignature:
            return FORM_LIMIT
        return large_here if isinstance(session, dict) and session.get("_user_id") else FORM_LIMIT

    def _attaches(path: str) -> bool:
        try:
            endpoint, _ = adapter.match(path, method="POST")
        except HTTPException:
            return False
        return endpoint in ATTACHMENT_ROUTES

    return limit


def init_app(app: Flask) -> None:
    """Limit every request's body; call before the CSRF check is registered (it reads the form)."""
    app.before_request(limit_body)
