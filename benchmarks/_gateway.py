"""A phone gateway on this machine for the walk-in benchmark: it notes each message and when it arrived.

It answers as the generic SMS/WhatsApp HTTP gateway and as the WhatsApp Cloud API do (any path,
200 with an id), so the site can be started with either channel (`site_env`). Each POST is kept
as an `Arrival`: when it arrived (`time.perf_counter()`, the benchmark's own clock), what kind of
message it is and which ticket it names. Standard library only, as `benchmarks._http`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from benchmarks._http import Browser, ClientError

# The site's defaults (PUSTAKA_WHATSAPP_TEMPLATES): a WhatsApp message names its kind by template.
TEMPLATES = {"pst_dipanggil": "called", "pst_dua_lagi": "two_ahead", "pst_pindaian_siap": "scan_ready"}
TEMPLATES |= {"pst_survei": "survey"}
_TICKET = re.compile(r"\b[A-Z]+-\d+\b")
_FIGURE = re.compile(r'^pustaka_phone_messages_last_day\{status="(\w+)"\} (\S+)$', re.MULTILINE)


@dataclass(frozen=True)
class Arrival:
    """One message the gateway took."""

    at: float  # time.perf_counter() when its POST arrived
    kind: str  # called, two_ahead, scan_ready, survey ("" if not told)
    ticket: str  # the ticket code the message names, "" for none
    to: str


def read_message(body: dict) -> tuple[str, str, str]:
    """Return a message's kind, the ticket it names and its number, in either format."""
    if "template" in body:  # WhatsApp Cloud API: the kind by its template, the ticket among its values
        template = body.get("template") or {}
        values = [p.get("text", "") for c in template.get("components", []) for p in c.get("parameters", [])]
        kind, words = TEMPLATES.get(template.get("name", ""), ""), " ".join(values)
    else:
        kind, words = str(body.get("kind", "")), str(body.get("text", ""))
    ticket = _TICKET.search(words)
    return kind, ticket.group(0) if ticket else "", str(body.get("to", ""))


@dataclass(frozen=True)
class PhoneTally:
    """The messages of a whole run: those the gateway took and those the site counted."""

    received: dict[str, int]  # by kind
    busiest: int  # the most messages any one number got
    site: dict[str, int]  # the site's last day by status (sent, failed, held, queued), from /metrics


def site_phone_figures(browser: Browser, timeout: float = 30.0) -> dict[str, int]:
    """Read the site's phone messages by status from /metrics, once none waits to be sent (or at timeout)."""
    deadline = time.perf_counter() + timeout
    while True:
        reply = browser.get("/metrics")
        if reply.status != 200:
            raise ClientError(f"/metrics answered {reply.status}")
        figures = {m.group(1): int(float(m.group(2))) for m in _FIGURE.finditer(reply.text)}
        if not figures.get("queued") or time.perf_counter() > deadline:
            return figures
        time.sleep(0.5)


class RecordingGateway:
    """The running gateway: its URL and the messages it took, in order."""

    def __init__(self) -> None:
        self.arrivals: list[Arrival] = []
        self.arrived = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="phone-gateway", daemon=True)

    def start(self) -> None:
        """Take messages from now on, in a thread of this process."""
        self._thread.start()

    def stop(self) -> None:
        """Stop taking messages."""
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def note(self, body: dict) -> int:
        """Keep one message as it arrives; return its number (1 for the first)."""
        at = time.perf_counter()
        with self.arrived:
            self.arrivals.append(Arrival(at, *read_message(body)))
            self.arrived.notify_all()
            return len(self.arrivals)

    def since(self, start: float, kind: str) -> list[Arrival]:
        """Return the messages of a kind that arrived after a moment."""
        with self.arrived:
            return [a for a in self.arrivals if a.at >= start and a.kind == kind]

    def first_called(self, start: float, codes: set[str], timeout: float) -> dict[str, float]:
        """Wait up to `timeout` s for a "called" message naming each ticket; return when each first came."""
        deadline = time.perf_counter() + timeout
        with self.arrived:
            while True:
                found: dict[str, float] = {}
                for a in self.arrivals:
                    if a.at >= start and a.kind == "called" and a.ticket in codes:
                        found.setdefault(a.ticket, a.at)
                left = deadline - time.perf_counter()
                if len(found) == len(codes) or left <= 0:
                    return found
                self.arrived.wait(left)

    def tally(self, site: dict[str, int]) -> PhoneTally:
        """Return what arrived, by kind, and the most to one number, beside the site's own figures."""
        with self.arrived:
            kinds = Counter(a.kind for a in self.arrivals)
            busiest = max(Counter(a.to for a in self.arrivals).values(), default=0)
        return PhoneTally(dict(kinds), busiest, site)

    def site_env(self, channel: str) -> dict[str, str]:
        """Return the settings that point the site's phone channel ('gateway' or 'whatsapp') here."""
        if channel == "whatsapp":
            return {
                "PUSTAKA_PHONE_CHANNEL": "whatsapp",
                "PUSTAKA_WHATSAPP_API_URL": self.url + "/v21.0",
                "PUSTAKA_WHATSAPP_PHONE_NUMBER_ID": "100200300",
                "PUSTAKA_WHATSAPP_TOKEN": "bench-token",
            }
        return {"PUSTAKA_PHONE_CHANNEL": "gateway", "PUSTAKA_PHONE_GATEWAY_URL": self.url + "/send"}


def _handler(gateway: RecordingGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            number = gateway.note(body if isinstance(body, dict) else {})
            data = json.dumps({"id": f"gw-{number}", "messages": [{"id": f"wamid.bench{number}"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            """Keep the benchmark's output quiet."""

    return Handler
