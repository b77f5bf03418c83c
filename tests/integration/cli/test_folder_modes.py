"""Secrets and files other users of the machine could change are refused by check, serve and worker.

Issue 56: at 0777 another local user replaced `secret_key` and forged an administrator's cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from library.filestore.modes import unsafe_folder
from library.settings import Settings


def made(path: Path, mode: int) -> Path:
    """Make a folder with a mode (whatever the umask)."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(mode)
    return path


@pytest.mark.parametrize(("mode", "secrets", "unsafe"), [
    (0o700, True, False),
    (0o750, True, False),
    (0o770, True, True),  # a group member could replace the keys
    (0o777, True, True),
    (0o775, False, False),  # a file store shared by a group of service users
    (0o777, False, True),
])  # fmt: skip
def test_a_folder_is_unsafe_when_others_may_write_it(
    tmp_path: Path, mode: int, secrets: bool, unsafe: bool
) -> None:
    folder = made(tmp_path / "f", mode)
    assert (unsafe_folder(folder, secrets=secrets) is not None) == unsafe


def test_a_key_others_may_read_is_unsafe_and_the_fix_is_named(tmp_path: Path) -> None:
    folder = made(tmp_path / "secrets", 0o700)
    key = folder / "secret_key"
    key.write_text("k" * 64)
    key.chmod(0o644)
    assert f"chmod 600 {key}" in (unsafe_folder(folder, secrets=True) or "")
    key.chmod(0o600)
    assert unsafe_folder(folder, secrets=True) is None


def test_a_parent_anyone_may_write_is_unsafe_unless_sticky(tmp_path: Path) -> None:
    parent = made(tmp_path / "shared", 0o777)
    folder = made(parent / "secrets", 0o700)
    assert "can be written by every user" in (unsafe_folder(folder, secrets=True) or "")
    parent.chmod(0o1777)  # like /tmp: others cannot rename what is not theirs
    assert unsafe_folder(folder, secrets=True) is None
    assert unsafe_folder(parent / "not-made-yet" / "secrets", secrets=True) is None


def test_check_names_the_folder_and_serve_and_worker_refuse_to_start(
    settings: Settings, run: Callable[..., Result]
) -> None:
    made(settings.secrets_path, 0o777)
    checked = run("check")
    assert checked.exit_code == 1 and "chmod go-w" in checked.output
    for command in (["serve", "--port", "65001", "--no-demo"], ["worker"]):
        refused = run(*command)
        assert refused.exit_code == 1 and "Other users of this machine could change" in refused.output, (
            command
        )
        assert "Traceback" not in refused.output
