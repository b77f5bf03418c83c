"""One line per request ("pustaka.access"), written once its answer is sent, and the request's id.

    GET /kunjungan/<token>?lang=en status=200 bytes=5321 ms=12.4

The id is the incoming X-Request-ID header when it is a short safe token (nginx's $request_id,
say), else a new one; it is sent back as X-Request-ID, and every line logged while the request
is answered carries it (`runtime.logs.REQUEST_ID`).

Addresses carry secrets: a URL variable named token, signature or code (a password-reset or
email link, a walk-in visit's status page, a complaint's tracking code, a delivered copy's
signature) is logged as its placeholder (`<token>`); an address that matched no route but
begins like one that holds a secret (a link cut short, a wrong method) is logged up to there.
Query values whose name says secret (`token`, `kode`, `password` ...) are logged as `<redacted>`;
the others stay, so a slow search can be read again. Static files and the probes (/healthz,
/readyz, /metrics) are logged at DEBUG only.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote, unquote_plus

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map

from runtime.logs import NO_REQUEST, REQUEST_ID

log = logging.getLogger("pustaka.access")
HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
SECRET_ARGUMENTS = frozenset({"token", "signature", "code"})  # URL variables that are capabilities
SECRET_QUERY = frozenset(
    {"token", "sig", "signature", "key", "code", "kode", "password", "sandi", "secret", "sesi", "csrf_token"}
    | {"hub.verify_token"}  # WhatsApp's webhook handshake (webapp.whatsapp)
)
QUIET = ("/static/", "/healthz", "/readyz", "/metrics", "/favicon.ico")  # logged at DEBUG
EXTENSION = "pustaka.request_log"  # the app's note of its routes' secret prefixes
REDACTED = "<redacted>"
SHOWN = "".join(map(chr, range(33, 127)))  # kept as they are in a logged address; anything else %-escaped
MESSAGE = "%s %s status=%s bytes=%s ms=%.1f"

Route = tuple[str, Mapping[str, Any]]  # the rule that answered (its text) and the values it took
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def init_app(app: Flask) -> None:
    """Log every request of the app in one line, with its id (around the app's other WSGI layers)."""
    logged = RequestLog(app.wsgi_app, app.url_map)
    app.extensions[EXTENSION] = logged.prefixes
    app.wsgi_app = logged  # type: ignore[method-assign]


def secret_prefixes(url_map: Map) -> tuple[str, ...]:
    """Return the fixed beginnings of the routes that hold a secret variable, longest first."""
    found = {rule.rule.split("<", 1)[0] for rule in url_map.iter_rules() if SECRET_ARGUMENTS & rule.arguments}
    return tuple(sorted(found, key=len, reverse=True))


class RequestLog:
    """WSGI middleware: give each request its id, then log it in one line once it is answered."""

    def __init__(self, app: WSGIApp, url_map: Map | None = None) -> None:
        self.app = app
        self.url_map = url_map
        self.prefixes = secret_prefixes(url_map) if url_map is not None else ()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Answer the request with its id in the X-Request-ID header; log it when the answer is sent."""
        started = time.perf_counter()
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        # 64 random bits: Python reseeds `random` in a forked child, so web processes never share ids.
        request_id = incoming if SAFE_ID.fullmatch(incoming) else f"{random.getrandbits(64):016x}"
        REQUEST_ID.set(request_id)
        answer = Answer(self, environ, started, request_id)

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer.status, answer.headers = status.split(" ", 1)[0], headers
            headers.append((HEADER, request_id))
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, start)
        except BaseException:
            answer.status = "500"
            answer.close()
            raise
        wrapper = environ.get("wsgi.file_wrapper")
        if wrapper is not None and type(body) is wrapper:
            # The server sends the file itself (waitress, off the app's thread): logged now, sized
            # by its Content-Length, the time being the app's only.
            answer.size = -1
            answer.close()
            return body
        answer.body = body
        return answer

    def path(self, environ: dict[str, Any]) -> str:
        """Return the request's address as logged: secrets replaced, one line of printable characters."""
        path = _path(environ)
        route = self._route(environ) if path.startswith(self.prefixes) else None
        return loggable_path(environ, self.prefixes, route)

    def _route(self, environ: dict[str, Any]) -> Route | None:
        """Return the route a request holding a secret matched (None: none), asked only for those."""
        if self.url_map is None:
            return None
        try:
            rule, values = self.url_map.bind_to_environ(environ).match(return_rule=True)
        except HTTPException:  # no such page, another method, a redirect: logged up to the secret
            return None
        return rule.rule, values


class Answer:
    """A response body passed through: its bytes counted, the request logged when it is closed."""

    def __init__(self, log_of: RequestLog, environ: dict[str, Any], started: float, request_id: str) -> None:
        self.log_of = log_of
        self.environ = environ
        self.started = started
        self.request_id = request_id
        self.status = "-"
        self.size = 0
        self.headers: list[tuple[str, str]] = []
        self.body: Iterable[bytes] = ()
        self.logged = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.size += len(chunk)
            yield chunk

    def close(self) -> None:
        """Close the app's body, then log the request (once) and leave it."""
        try:
            closing = getattr(self.body, "close", None)
            if closing is not None:
                closing()
        finally:
            if not self.logged:
                self.logged = True
                self._log()
            REQUEST_ID.set(NO_REQUEST)

    def _log(self) -> None:
        environ = self.environ
        level = logging.DEBUG if environ.get("PATH_INFO", "").startswith(QUIET) else logging.INFO
        if not log.isEnabledFor(level):
            return
        size = self.size if self.size >= 0 else _content_length(self.headers)
        method = _shown(environ.get("REQUEST_METHOD", "-")[:16])
        ms = (time.perf_counter() - self.started) * 1000
        fields = (method, self.log_of.path(environ), self.status, size, ms)
        # Made here rather than by log.info(): the caller's frame, which nobody reads, is not looked up.
        extra = {"request_id": self.request_id}
        log.handle(log.makeRecord(log.name, level, __file__, 0, MESSAGE, fields, None, extra=extra))


def _content_length(headers: list[tuple[str, str]]) -> str:
    """Return a response's Content-Length header ('-' without one)."""
    return next((value for name, value in headers if name.lower() == "content-length"), "-")


def current_path() -> str:
    """Return the address of the request being answered as its access line shows it (secrets replaced)."""
    rule = request.url_rule
    route = (rule.rule, request.view_args or {}) if rule is not None else None
    return loggable_path(request.environ, current_app.extensions.get(EXTENSION, ()), route)


def loggable_path(environ: dict[str, Any], prefixes: tuple[str, ...] = (), route: Route | None = None) -> str:
    """Return a request's address (path and query) with its secrets replaced, safe on one line.

    `route`: the route it matched, whose secret values are replaced by their placeholders; without
    one, an address beginning like a route holding a secret (`prefixes`) is cut there.
    """
    path = _path(environ)
    if route is not None:
        path = _redact_values(path, route)
    else:
        path = next((prefix + REDACTED for prefix in prefixes if path.startswith(prefix)), path)
    query = environ.get("QUERY_STRING", "")
    return _shown(f"{path}?{redact_query(query)}" if query else path)


def _path(environ: dict[str, Any]) -> str:
    """Return a request's path as text (WSGI hands its bytes as latin-1 characters)."""
    raw: str = environ.get("PATH_INFO", "")
    if raw.isascii():
        return raw
    try:
        return raw.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return raw


def _redact_values(path: str, route: Route) -> str:
    """Replace the path's secret variables by their placeholders (`<token>`)."""
    _rule, values = route
    for name in SECRET_ARGUMENTS.intersection(values):
        value = str(values[name])
        parts = path.split("/")
        if value in parts:
            path = "/".join(f"<{name}>" if part == value else part for part in parts)
        elif value:
            path = path.replace(value, f"<{name}>")
    return path


def redact_query(query: str) -> str:
    """Return a query string with the values of secret-named fields replaced by `<redacted>`."""
    fields = query.split("&")
    for n, field in enumerate(fields):
        name, equals, _value = field.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if equals and name.strip().lower() in SECRET_QUERY:
            fields[n] = f"{field[: field.index('=')]}={REDACTED}"
    return "&".join(fields)


def _shown(text: str) -> str:
    """Return text as one line of printable ASCII: anything else (a space, a newline) %-escaped."""
    if text.isascii() and text.isprintable() and " " not in text:
        return text
    return quote(text, safe=SHOWN)
