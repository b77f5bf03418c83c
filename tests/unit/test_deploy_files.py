"""The shipped service files hold what Pustaka reads: settings it knows, commands and options it has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from library.settings import Settings
from webapp.cli import main

pytestmark = pytest.mark.unit
DEPLOY = Path(__file__).resolve().parents[1].parent / "deploy"


def example_settings() -> dict[str, str]:
    """Return the example settings file's variables."""
    lines = (DEPLOY / "pustaka.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_example_settings_are_all_settings_and_valid() -> None:
    values = example_settings()
    known = {name for name, _default, _doc in Settings.documented()}
    assert set(values) <= known, set(values) - known
    settings = Settings.from_env(values)
    assert settings.proxy_count == 1 and settings.redis_url


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_every_unit_runs_a_pustaka_command_with_options_it_has(unit: str) -> None:
    text = (DEPLOY / "systemd" / unit).read_text()
    assert "EnvironmentFile=/etc/pustaka/pustaka.env" in text and "User=pustaka" in text
    [start] = re.findall(r"^ExecStart=(.+)$", text, re.M)
    words = shlex.split(start.replace("%i", "batch").replace("%%", "%"))
    words = shlex.split(words[-1]) if words[0] == "/bin/sh" else words
    args = words[words.index(next(w for w in words if w.endswith("/pustaka"))) + 1 :]
    context = click.Context(main)
    command = main.get_command(context, args[0])
    assert command is not None, args
    command.make_context(args[0], [a for a in args[1:] if "$(" not in a] or ["x"], parent=context)
    if "serve" in args or "worker" in args:
        assert "Restart=on-failure" in text  # a dead web supervisor or worker is started again
