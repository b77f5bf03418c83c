"""Secrets are generated once into the instance folder, never hard-coded."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from library.errors import StorageError
from library.tokens import SESSION_KEY_KEPT, key_files, key_ring, load_or_create_secret, rotate_key, secret_in


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


def test_a_rotated_session_key_verifies_until_its_longest_signature_expires(tmp_path: Path) -> None:
    start = dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)
    first = secret_in(tmp_path, "secret_key")
    retired = rotate_key(tmp_path, "secret_key", start)
    assert (tmp_path / retired).read_bytes() == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    second = secret_in(tmp_path, "secret_key")
    assert key_ring(tmp_path, "secret_key", now=start) == (second, first)  # current first
    late = start + SESSION_KEY_KEPT + dt.timedelta(minutes=1)
    assert key_ring(tmp_path, "secret_key", now=late) == (second,)  # nothing it signed is still valid
    rotate_key(tmp_path, "secret_key", late)
    assert not (tmp_path / retired).exists()  # let go at the next rotation
    with pytest.raises(StorageError, match="a moment ago"):
        rotate_key(tmp_path, "secret_key", late)  # twice in one second: the retired key is never lost


def test_retired_delivery_keys_are_kept_for_good_newest_first(tmp_path: Path) -> None:
    start = dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)
    keys = [secret_in(tmp_path, "delivery_key")]
    for years in (1, 2):
        rotate_key(tmp_path, "delivery_key", start + dt.timedelta(days=365 * years))
        keys.append(secret_in(tmp_path, "delivery_key"))
    assert key_ring(tmp_path, "delivery_key", now=start + dt.timedelta(days=3650)) == tuple(reversed(keys))
    assert len(key_files(tmp_path)) == 3 and "secret_key" not in key_files(tmp_path)
