"""The shipped Prometheus and Alertmanager files: the rules are loaded, and their alerts reach someone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.unit
PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"


def _load(name: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((PROMETHEUS / name).read_text())


def test_prometheus_loads_the_rules_and_sends_their_alerts_to_the_alertmanager() -> None:
    config = _load("prometheus.yml")
    assert [Path(f).name for f in config["rule_files"]] == ["pustaka-rules.yml"]
    assert (PROMETHEUS / "pustaka-rules.yml").is_file()
    [manager] = config["alerting"]["alertmanagers"]
    assert manager["static_configs"][0]["targets"] == ["127.0.0.1:9093"]  # the Alertmanager's own port


def test_the_alertmanager_emails_every_alert_to_a_receiver_it_names() -> None:
    config = _load("alertmanager.yml")
    route = config["route"]
    receivers = {r["name"]: r for r in config["receivers"]}
    assert route["receiver"] in receivers and not route.get("routes")  # every alert ends there
    [email] = receivers[route["receiver"]]["email_configs"]
    assert "@" in email["to"] and email["send_resolved"] is True
    assert {"smtp_smarthost", "smtp_from"} <= set(config["global"])


@pytest.mark.parametrize(
    ("tool", "args"),
    [("promtool", ["check", "config", "--syntax-only"]), ("amtool", ["check-config"])],
)
def test_the_tools_accept_the_files_where_they_are_installed(tool: str, args: list[str]) -> None:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed (apt-get install prometheus prometheus-alertmanager)")
    name = "prometheus.yml" if tool == "promtool" else "alertmanager.yml"
    done = subprocess.run([found, *args, str(PROMETHEUS / name)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
