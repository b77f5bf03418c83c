"""Access-log lines (combined format) read as usage events: which requests count, robots and noise out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from library.usage.access_log import read_log
from library.usage.counting import Kind
from library.usage.robots import load_robots

SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"


def log(
    request: str, status: int = 200, agent: str = CHROME, when: str = "23/Nov/2026:09:00:00 +0700"
) -> str:
    return f'10.0.0.1 - - [{when}] "{request} HTTP/1.1" {status} 512 "https://x/" "{agent}"'


def test_pages_pictures_and_downloads_become_events_at_their_utc_moment(tmp_path: Path) -> None:
    lines = [
        log("GET /katalog/3"),
        log("GET /pustaka/baca/3/halaman/7.jpg?sesi=AB12CD34", 304),  # under a path of its own, unchanged
        log("POST /permintaan/PST-1872-0001/unduh"),
        log("POST /permintaan/PST-1872-9999/unduh"),  # no such request
        log("GET /katalog/3/sampul.png"),
        log("GET /katalog/3", 404),
        log("GET /katalog/3", agent='Mozilla/5.0 (compatible; Googlebot/2.1) \\"quoted\\"'),
        log("GET /katalog/3", when="23/Nov/2025:09:00:00 +0700"),  # older than the raw events kept
        "garbage",
    ]
    found = read_log(lines, load_robots(tmp_path), lambda line: line.address, {"PST-1872-0001": 5}.get, SINCE)
    assert [(e.kind, e.publication_id, e.page) for e in found.events] == [
        (Kind.VIEW, 3, 0),
        (Kind.PAGE, 3, 7),
        (Kind.DOWNLOAD, 5, 0),
    ]
    assert found.events[0].at == dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
    assert (found.robots, found.not_usage, found.too_old, found.unreadable) == (1, 3, 1, 1)
