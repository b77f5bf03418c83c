"""/metrics: who may read it, what the requests counted, and the office's walk-in figures as they stand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import yaml
from flask import Flask

from library.models import BackupRun
from tests.functional.terminal_helpers import walk_in
from tests.integration.library.queue_helpers import at

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}  # not in PUSTAKA_METRICS_ADDRESSES


def figure(text: str, name: str, **labels: str) -> float:
    """Return one sample's value from the exposition (its labels in any order)."""
    for line in text.splitlines():
        found = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if found and all(f'{key}="{value}"' in (found.group(1) or "") for key, value in labels.items()):
            return float(found.group(2))
    raise AssertionError(f"{name} {labels} is not in /metrics")


def test_only_allowed_addresses_or_the_token_read_the_metrics(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/metrics").status_code == 200  # 127.0.0.1, the default allowed address
    refused = client.get("/metrics", environ_base=OUTSIDE)
    assert refused.status_code == 403 and "PUSTAKA_METRICS_TOKEN" in refused.get_data(as_text=True)
    rt = app.extensions["pustaka"]
    rt.settings = dataclasses.replace(rt.settings, metrics_token="s3cret-token")
    wrong = client.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 403
    right = client.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": "Bearer s3cret-token"})
    assert right.status_code == 200 and right.mimetype == "text/plain"


def test_requests_are_counted_by_route_and_status(app: Flask) -> None:
    client = app.test_client()
    before = client.get("/metrics").get_data(as_text=True)
    searches = (
        figure(before, "pustaka_http_requests_total", route="/cari/", status="200")
        if "/cari/" in before
        else 0
    )
    for words in ("penduduk", "inflasi", "kemiskinan"):
        assert client.get(f"/cari/?q={words}").status_code == 200
    assert client.get("/tidak-ada").status_code == 404
    text = client.get("/metrics").get_data(as_text=True)
    assert figure(text, "pustaka_http_requests_total", route="/cari/", status="200") == searches + 3
    assert figure(text, "pustaka_http_requests_total", route="(none)", status="404") >= 1
    assert figure(text, "pustaka_http_request_seconds_count", route="/cari/") >= 3
    assert figure(text, "pustaka_search_seconds_count") >= 3


def test_walk_ins_waiting_past_the_target_show_as_they_happen(app: Flask) -> None:
    rt = app.extensions["pustaka"]
    started = at(60)  # 09:00 on a Monday: the minutes that follow stay on the same office day
    rt.now = lambda: started
    walk_in(app, "Ani", at=started)
    walk_in(app, "Budi", at=started + dt.timedelta(minutes=3))
    client = app.test_client()
    for minutes, past in ((4, 0), (6, 1), (9, 2)):  # the library's target: 5 minutes from the guest book
        rt.now = lambda minutes=minutes: started + dt.timedelta(minutes=minutes)
        text = client.get("/metrics").get_data(as_text=True)
        where = {"office": "1872", "service": "library"}
        assert figure(text, "pustaka_walkin_waiting", **where) == 2
        assert figure(text, "pustaka_walkin_past_target", **where) == past, minutes
        assert figure(text, "pustaka_walkin_longest_wait_seconds", **where) == minutes * 60
        assert figure(text, "pustaka_walkin_target_seconds", **where) == 300
    assert figure(text, "pustaka_ready", part="workers") == 0  # no worker runs in this test
    assert figure(text, "pustaka_queue_depth", lane="interactive") >= 0


def test_the_example_alert_rules_use_only_figures_the_metrics_give(app: Flask) -> None:
    rules = yaml.safe_load((Path(__file__).parents[2] / "deploy/prometheus/pustaka-rules.yml").read_text())
    alerts = {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}
    assert {"PustakaWalkInTargetMissed", "PustakaQueueStuck", "PustakaNoWorker"} <= set(alerts)
    assert {"PustakaCopiesFailing", "PustakaDiskFilling", "PustakaBackupStale", "PustakaBackupFailed"} <= set(
        alerts
    )
    ran_backup(app)  # the backups' figures are given once a backup ran
    exposed = set(
        re.findall(r"^(pustaka_\w+)", app.test_client().get("/metrics").get_data(as_text=True), re.M)
    )
    named = {name for expr in alerts.values() for name in re.findall(r"pustaka_\w+", expr)}
    assert named and named <= exposed, named - exposed


def ran_backup(app: Flask) -> None:
    """Record a good backup run, finished now."""
    rt = app.extensions["pustaka"]
    with rt.transaction() as uow:
        uow.session.add(BackupRun(started_at=rt.now(), finished_at=rt.now(), ok=True, path="/b"))
