"""The walk-in benchmark's front office: the clerk's console serves each visitor while their phones watch.

The console calls, starts and finishes each visitor in turn as fast as the server answers; every
phone polls the board's data and its status page and fetches the clips of each new call it sees,
as a board does. A call is timed from the console's press to a phone holding it with its clips,
and (with phones told) to the phone gateway taking its "called" message.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from dataclasses import dataclass, field

from benchmarks._gateway import RecordingGateway as Gateway
from benchmarks._http import Browser, ClientError, Reply, form_value
from benchmarks._rounds import Phase, together

CONSOLE = "/loket/perpustakaan"
CALLED = re.compile(r'status-called mine" aria-labelledby="ticket-(\d+)"')
GATEWAY_WAIT = 30.0  # seconds the gateway is given for a call's message before it counts as lost


@dataclass
class Visitor:
    """A walk-in visitor's phone: its browser, and the visit it got from the guest book."""

    browser: Browser
    token: str = ""
    code: str = ""
    signed: float = 0.0  # when the guest book was sent
    name: str = "Tamu"  # each visitor's own: the guest book asks before the same name twice in 10 min
    phone: str = "0812 3456 7890"  # each visitor's own: PUSTAKA_PHONE_MAX_PER_HOUR counts per number
    priority: str = ""  # the priority group declared at the kiosk, "" for none
    heard: set[tuple[str, int]] = field(default_factory=set)  # calls seen on the board (code, calls)
    clips: set[str] = field(default_factory=set)  # clips fetched: a board fetches each one once


def front_office(
    visitors: list[Visitor], clerk: Browser, args: argparse.Namespace, gateway: Gateway | None, out: Phase
) -> None:
    """The console serves every visitor in turn while the phones poll the board and their status."""
    begun, done = time.perf_counter(), threading.Event()
    signed = {v.code: v.signed for v in visitors if v.code}
    kinds = {v.code: "priority start" if v.priority else "regular start" for v in visitors if v.code}
    presses: dict[str, float] = {}  # when the console pressed "call" for each ticket
    console = threading.Thread(
        target=serve_all, args=(clerk, signed, kinds, out, done, presses, gateway), daemon=True
    )
    console.start()
    stop = time.perf_counter() + args.board_seconds

    def poll(index: int, barrier: threading.Barrier) -> None:
        visitor = visitors[index]
        paths = [("board data", "/antrean/data.json"), ("status page", f"/kunjungan/{visitor.token}")]
        barrier.wait()
        while not done.is_set() or time.perf_counter() < stop:
            for kind, path in paths[: 2 if visitor.token else 1]:
                reply = visitor.browser.get(path)
                if reply.status == 200:
                    out.kinds.setdefault(kind, []).append(reply.seconds)
                    if kind == "board data":
                        hear_call(visitor, reply, presses, out)
                else:
                    out.failures.append(f"{kind}: {reply.status}")
            time.sleep(args.board_poll)

    together(len(visitors), poll, out)
    console.join()
    if gateway is not None:
        reach_gateway(gateway, presses, begun, out)


def reach_gateway(gateway: Gateway, presses: dict[str, float], begun: float, out: Phase) -> None:
    """Time each call from the console's press to the gateway taking its "called" message; count the rest."""
    arrived = gateway.first_called(begun, set(presses), GATEWAY_WAIT)
    for code, pressed in presses.items():
        if code in arrived:
            out.kinds.setdefault("call to gateway", []).append(arrived[code] - pressed)
        else:
            out.failures.append(f"gateway: no 'called' message for {code} within {GATEWAY_WAIT:.0f} s")
    out.kinds["two ahead"] = [a.at - begun for a in gateway.since(begun, "two_ahead")]


def hear_call(visitor: Visitor, reply: Reply, presses: dict[str, float], out: Phase) -> None:
    """Do as the board does with a call it has not heard: fetch the clips it lacks; time the call."""
    latest = json.loads(reply.text).get("latest")
    if not latest or (latest["code"], latest["calls"]) in visitor.heard or latest["code"] not in presses:
        return  # nothing new, or a call whose press the console has not noted yet (next poll)
    visitor.heard.add((latest["code"], latest["calls"]))
    for path in latest.get("clips", []):
        clip = visitor.browser.get(path) if path not in visitor.clips else None
        if clip is not None and clip.status == 200:
            visitor.clips.add(path)
            out.kinds.setdefault("clip", []).append(clip.seconds)
            out.kinds.setdefault("clip bytes", []).append(len(clip.body))
        elif clip is not None:
            out.failures.append(f"board clip: {clip.status} {path}")
    out.kinds.setdefault("call to board", []).append(time.perf_counter() - presses[latest["code"]])


def serve_all(
    clerk: Browser,
    signed: dict[str, float],
    kinds: dict[str, str],
    out: Phase,
    done: threading.Event,
    presses: dict[str, float],
    gateway: Gateway | None,
) -> None:
    """Call, start and finish each waiting visitor in turn; note each one's guest book to start.

    With phones told, the clerk starts a service once the visitor's phone has the call (the
    visitor walks up then): a ticket started already is no longer told it is called.
    """
    try:
        page = console_page(clerk, out)
        for _ in signed:
            pressed = time.perf_counter()
            press(clerk, "/panggil", page)
            page = console_page(clerk, out)
            called = CALLED.search(page)
            if not called:
                raise ClientError("nobody was called to the counter")
            ticket = called.group(1)
            code = re.search(
                rf'id="ticket-{ticket}">(?:<a [^>]*>)?([^<]+)<', page
            )  # the code links its history
            if code:
                presses.setdefault(code.group(1), pressed)
            if code and gateway is not None:
                gateway.first_called(pressed, {code.group(1)}, GATEWAY_WAIT)
            if press(clerk, f"/tiket/{ticket}/mulai", page, check=False).status == 400:
                # past the target: the console asks for the reason before it starts the service
                press(clerk, f"/tiket/{ticket}/mulai", page, breach_reason="Antrean benchmark.")
            if code and code.group(1) in signed:
                out.seconds.append(time.perf_counter() - signed[code.group(1)])
                out.kinds.setdefault(kinds[code.group(1)], []).append(out.seconds[-1])
            press(clerk, f"/tiket/{ticket}/selesai", console_page(clerk, out))
            page = console_page(clerk, out)
    except (ClientError, OSError) as exc:
        out.failures.append(f"console: {type(exc).__name__}: {exc}")
    finally:
        done.set()


def console_page(clerk: Browser, out: Phase) -> str:
    """Open the console, as the browser does after each button, and note how long it took."""
    reply = clerk.get(CONSOLE)
    if reply.status != 200:
        raise ClientError(f"the console answered {reply.status}")
    out.kinds.setdefault("console page", []).append(reply.seconds)
    return reply.text


def press(clerk: Browser, action: str, page: str, check: bool = True, **fields: str) -> Reply:
    """Press one of the console's buttons: a small POST form with the page's CSRF token."""
    reply = clerk.post_form(CONSOLE + action, {"csrf_token": form_value(page, "csrf_token") or "", **fields})
    if check and reply.status != 303:
        raise ClientError(f"{action}: {reply.status}")
    return reply
