"""The shipped service files hold what Pustaka reads: settings it knows, commands and options it has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from cli import main
from library.settings import Settings

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


def _written_folders() -> set[Path]:
    """Return every folder the example settings point Pustaka to write in (those commented out too)."""
    lines = (DEPLOY / "pustaka.env.example").read_text().splitlines()
    found = set()
    for line in lines:
        match = re.match(r"^#?\s*(PUSTAKA_\w+)=(/\S+)$", line)
        if match and match[1].endswith(("_DIR", "_FOLDER")):
            found.add(Path(match[2]))
        elif (
            match and match[1].endswith("_FILE") and not match[1].endswith("_KEY_FILE")
        ):  # a key is only read
            found.add(Path(match[2]).parent)
    return found


def _read_write_paths(unit: str) -> list[Path]:
    [line] = re.findall(r"^ReadWritePaths=(.+)$", (DEPLOY / "systemd" / unit).read_text(), re.M)
    return [Path(word.lstrip("-")) for word in line.split()]


@pytest.mark.parametrize("unit", ["pustaka-web.service", "pustaka-worker@.service"])
def test_a_service_may_write_every_folder_the_settings_point_it_to(unit: str) -> None:
    folders = _written_folders()
    assert {Path("/var/lib/pustaka"), Path("/var/lib/pustaka-files"), Path("/var/log/pustaka")} <= folders
    if unit == "pustaka-web.service":  # the web queues a backup (/admin/cadangan); a worker writes it
        folders.discard(Path("/var/backups/pustaka"))
    allowed = _read_write_paths(unit)
    for folder in folders:
        assert any(folder.is_relative_to(path) for path in allowed), (unit, folder)
    assert not any(Path("/opt/pustaka").is_relative_to(path) for path in allowed)  # the code stays read-only


def test_the_guide_makes_every_folder_the_units_write_owned_by_pustaka_and_leaves_the_code_to_root() -> None:
    guide = (DEPLOY.parent / "docs" / "production.md").read_text()
    step = guide[guide.index("## 1.") : guide.index("## 2.")]
    made = {
        Path(folder)
        for line in re.findall(r"^sudo install -d -o pustaka .*$", step, re.M)
        for folder in re.findall(r"(/var/\S+)", line.split("#")[0])
    }
    for unit in ("pustaka-web.service", "pustaka-worker@.service"):
        assert set(_read_write_paths(unit)) <= made, unit
    assert "chown" not in step and "sudo -u pustaka /opt/pustaka/scripts/bootstrap" not in step
    assert re.search(r"^sudo apt-get install -y sudo ", step, re.M)  # the wrapper needs it
