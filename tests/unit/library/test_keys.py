"""Secrets are generated once into the instance folder, never hard-coded."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from library.errors import StorageError
from library.tokens import load_or_create_secret


def test_a_missing_secret_is_created_private_and_then_reused(tmp_path: Path) -> None:
    first = load_or_create_secret(tmp_path)
    second = load_or_create_secret(tmp_path)
    assert first == second
    assert len(first) >= 64
    mode = stat.S_IMODE((tmp_path / "secrets" / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_two_instance_folders_get_different_secrets(tmp_path: Path) -> None:
    assert load_or_create_secret(tmp_path / "a") != load_or_create_secret(tmp_path / "b")


def test_an_emptied_secret_file_is_reported_not_used(tmp_path: Path) -> None:
    load_or_create_secret(tmp_path)
    (tmp_path / "secrets" / "secret_key").write_text("")
    with pytest.raises(StorageError, match="delete it so a new one is made"):
        load_or_create_secret(tmp_path)
