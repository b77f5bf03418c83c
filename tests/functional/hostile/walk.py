"""Walking every route of the app with hostile path and query values, and noting each failure.

A failure is an answer in the 5xx range (except a 503 that says when to come back, the reader's
"still drawing this page"), a traceback in a body, or an exception escaping the app.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter, Rule
from werkzeug.test import TestResponse
from wtforms.fields.core import UnboundField

import webapp
from search.engine import FACET_FIELDS

# Raw (already percent-encoded) values. Numbers: past 64 bits, the edges of 64- and 32-bit
# columns, zero, and what int() refuses; text: NUL, bytes that are not UTF-8, long UTF-8,
# a header break, a path climbing out, another host.
NUMBERS = (str(2**64), str(10**20), str(2**63 - 1), str(2**31), "0", "-1", "1e18")
TEXTS = (
    "%00",
    "%FF",
    "%C3%B1%E6%97%A5%F0%9F%98%80" * 20,  # ñ日😀, 180 bytes
    "a" * 300,
    "%E6%97%A5" * 100,  # 300 bytes of one character
    "%0d%0aSet-Cookie:%20x=1",
    "..%2F..%2Fetc%2Fpasswd",
    "%2F%2Fevil.example",
)
QUERY_VALUES = (str(2**64), str(2**31), "-1", "1e18", "%00", "%FF", "a" * 300, TEXTS[5], TEXTS[7])
HOSTILE = NUMBERS + TEXTS
# What a second database can answer differently: a number past a 64-bit column, the largest that
# fits one, one past a 32-bit column; NUL, bytes that are not UTF-8, long text in one- and in
# three-byte characters (a varchar's length counts characters). Zero, -1, 10**20 (past 64 bits
# as 2**64 is) and 1e18 (no integer) meet the web shell alike on either database; so do a
# header break, a path climbing out and another host.
FOR_THE_DATABASE = frozenset((str(2**64), str(2**63 - 1), str(2**31), *TEXTS[:2], *TEXTS[3:5]))
# A value other variables of a route keep while one is hostile (None: an open publication's id).
BASELINE = {"publication_id": None, "user_id": "424242", "console": "perpustakaan"}
# Query arguments the views read that no `request.*.get("…")` names literally.
OAI_ARGUMENTS = ("verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken")
_READS = re.compile(r"request\.(?:args|form|values)\.(?:get|getlist)\(\s*\"([^\"]+)\"")
_VARIABLE = re.compile(r"<(?:[^>:]+:)?([^>]+)>")
Visitor = Callable[[], tuple[FlaskClient, str]]  # a client as one kind of visitor, and its CSRF token


def arguments_read() -> tuple[str, ...]:
    """Return every query or form argument a view reads, and every form field's name."""
    names = set(OAI_ARGUMENTS) | set(FACET_FIELDS) | {"page", "hal"}
    for source in Path(webapp.__file__).parent.rglob("*.py"):
        names.update(_READS.findall(source.read_text(encoding="utf-8")))
    for form in _subclasses(FlaskForm):
        names.update(name for name, value in vars(form).items() if isinstance(value, UnboundField))
    return tuple(sorted(names))


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@dataclass(frozen=True)
class Probe:
    """One request of the walk."""

    method: str
    path: str
    form: dict[str, str] = field(default_factory=dict)


@dataclass
class Walk:
    """Probes for every route, and what went wrong."""

    app: Flask
    baseline_publication: int
    arguments: tuple[str, ...] = field(default_factory=arguments_read)
    only: frozenset[str] | None = None  # the hostile values sent (None: all of them)
    failures: list[str] = field(default_factory=list)
    count: int = 0

    def run(self, who: str, visitor: Visitor, signs_out: frozenset[str], another: Visitor) -> FlaskClient:
        """Send every probe of every route as `who`; note each failure; return the shared client.

        `visitor()` returns a client as `who` and its CSRF token; the probes share one. The
        routes in `signs_out` (signing out everywhere, registering this browser as a terminal)
        get a new one from `another` (another person of the same role) for each probe. A route
        that turns `who` away with its plain values (to the sign-in page, or 403) turns them
        away with any: its hostile values are left to a role that gets in.
        """
        client, csrf = visitor()
        for rule in self.app.url_map.iter_rules():
            for method in ("GET", "POST"):
                if method not in (rule.methods or ()):
                    continue
                again = another if rule.endpoint in signs_out else lambda: (client, csrf)
                response = self._send(*again(), who, Probe(method, self._path(rule, {})))
                if response is not None and _turned_away(response):
                    continue
                for probe in self.probes(rule, method):
                    self._send(*again(), who, probe)
        return client

    def probes(self, rule: Rule, method: str) -> Iterator[Probe]:
        """Yield the hostile requests of one route: each variable in turn, then hostile arguments."""
        for name in (n for n in rule.arguments if n in rule._converters):  # not a default
            numeric = isinstance(rule._converters[name], IntegerConverter)
            for value in self._sent(NUMBERS if numeric else (*TEXTS, NUMBERS[0])):
                yield Probe(method, self._path(rule, {name: value}))
        base = self._path(rule, {})
        for value in self._sent(QUERY_VALUES):
            query = "&".join(f"{arg}={value}" for arg in self.arguments)
            form = {arg: _text(unquote(value, errors="surrogateescape")) for arg in self.arguments}
            yield Probe(method, f"{base}?{query}", form if method == "POST" else {})

    def _sent(self, values: tuple[str, ...]) -> tuple[str, ...]:
        return values if self.only is None else tuple(v for v in values if v in self.only)

    def _path(self, rule: Rule, values: dict[str, str]) -> str:
        def fill(found: re.Match[str]) -> str:
            name = found.group(1)
            if name in values:
                return values[name]
            default = BASELINE.get(name, "1")
            return str(self.baseline_publication) if default is None else default

        return _VARIABLE.sub(fill, rule.rule)

    def _send(self, client: FlaskClient, csrf: str, who: str, probe: Probe) -> TestResponse | None:
        self.count += 1
        where = f"{who} {probe.method} {probe.path[:160]}"
        try:
            if probe.method == "GET":
                response = client.get(probe.path)
            else:
                response = client.post(probe.path, data={**probe.form, "csrf_token": csrf})
        except Exception as exc:  # noqa: BLE001 - every escaping error is a finding, not the end
            self.failures.append(f"{where}: {type(exc).__name__}: {str(exc)[:200]}")
            return None
        body = response.get_data()
        response.close()  # a sent file stays open until its response is closed
        retry_later = response.status_code == 503 and "Retry-After" in response.headers
        if response.status_code >= 500 and not retry_later:
            self.failures.append(f"{where}: status {response.status_code}")
        elif b"Traceback" in body:
            self.failures.append(f"{where}: a traceback in the body")
        return response


def _turned_away(response: TestResponse) -> bool:
    """Tell whether the answer refuses the visitor (sign in first, or not allowed), whatever was asked."""
    to_sign_in = response.status_code in (302, 303) and "/masuk" in response.headers.get("Location", "")
    return to_sign_in or response.status_code == 403


def _text(value: str) -> str:
    """Return a form value the test client can encode (undecodable bytes become U+FFFD)."""
    return value.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
