"""The upgrade checklist of docs/operations.md is made of commands that exist, in an order that works.

Each `pustaka` command of the checklist is parsed by the command line itself (a command or option
renamed fails here), the units it stops and starts are the shipped ones, the maintenance flag is
the file the shipped nginx site checks, and the steps come in the order the guide promises.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from cli import main

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "operations.md"


def _blocks() -> list[list[str]]:
    """Return the shell blocks of the Upgrading section, each as its commands (comments dropped)."""
    text = GUIDE.read_text()
    section = text[text.index("## Upgrading\n") : text.index("\n## ", text.index("## Upgrading\n") + 1)]
    return [
        [
            line.split("  #")[0].strip()
            for line in block.splitlines()
            if line.strip() and not line.startswith("#")
        ]
        for block in re.findall(r"```sh\n(.*?)```", section, re.S)
    ]


def _commands(lines: list[str]) -> list[str]:
    """Return each command of the lines, split at `&&`."""
    return [part.strip() for line in lines for part in line.split("&&")]


def _first(commands: list[str], start: str) -> int:
    return next(i for i, command in enumerate(commands) if command.startswith(start))


def test_every_pustaka_command_of_the_upgrade_guide_exists_with_its_options() -> None:
    commands = [c for block in _blocks() for c in _commands(block) if c.startswith("pustaka ")]
    assert {"pustaka db status", "pustaka db upgrade", "pustaka check"} <= set(commands)
    for command in commands:
        words = shlex.split(re.sub(r"\$\([^)]*\)", "x", command))[1:]  # $(date ...): a word
        context = click.Context(main)
        found = main.get_command(context, words[0])
        assert found is not None, command
        sub = found.make_context(words[0], words[1:], parent=context)
        if isinstance(found, click.Group) and words[1:]:
            assert found.get_command(sub, words[1]) is not None, command


def test_the_checklist_runs_its_steps_in_the_order_it_promises() -> None:
    checklist = _commands(_blocks()[0])
    order = [
        _first(checklist, "pustaka backup"),
        _first(checklist, "sudo touch /etc/pustaka/maintenance"),
        _first(checklist, "pustaka db status"),
        _first(checklist, "sudo systemctl stop"),
        _first(checklist, "sudo git pull"),
        _first(checklist, "sudo /opt/pustaka/scripts/bootstrap"),
        len(checklist) - 1 - checklist[::-1].index("pustaka db status"),  # again, with the new code
        _first(checklist, "pustaka db upgrade"),
        _first(checklist, "sudo systemctl start"),
        _first(checklist, "pustaka check"),
        _first(checklist, "sudo rm /etc/pustaka/maintenance"),
    ]
    assert order == sorted(order) and len(set(order)) == len(order)


def test_the_guide_names_the_flag_nginx_checks_and_the_units_that_ship() -> None:
    site = (ROOT / "deploy" / "nginx" / "pustaka.conf").read_text()
    assert "if (-f /etc/pustaka/maintenance)" in site
    shipped = {
        p.name.removesuffix(".service").replace("@", "") + ("@" if "@" in p.name else "")
        for p in (ROOT / "deploy" / "systemd").glob("*.service")
    }
    for block in _blocks():
        for command in _commands(block):
            if command.startswith(("sudo systemctl stop", "sudo systemctl start")):
                for unit in command.split()[3:]:
                    assert unit in shipped or unit.split("@")[0] + "@" in shipped, unit


def test_a_hand_made_backup_of_an_old_release_copies_the_folders_the_settings_name() -> None:
    old = _commands(_blocks()[1])
    example = (ROOT / "deploy" / "pustaka.env.example").read_text()
    for name in ("PUSTAKA_INSTANCE_DIR", "PUSTAKA_FILES_DIR"):
        [folder] = re.findall(rf"^{name}=(\S+)$", example, re.M)
        assert any(c.startswith(f"sudo cp -a {folder} ") for c in old), name
    assert _first(old, "sudo systemctl stop") < _first(old, "sudo cp -a")  # a whole copy: nothing runs
    assert any(c.startswith("sudo -u pustaka pg_dump --format=custom") for c in old)
