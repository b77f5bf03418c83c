"""Hosts with instance folders of their own share the file store and the signing keys the settings name."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from itsdangerous import BadSignature, URLSafeTimedSerializer

from cli import main
from library.settings import Settings
from runtime.root import Runtime
from webapp import create_app


def host(tmp_path: Path, name: str) -> Settings:
    """Return the settings of one host: its own instance folder, the shared folders."""
    return Settings.from_env(
        {},
        instance_dir=tmp_path / name,
        files_dir=str(tmp_path / "shared" / "files"),
        secrets_dir=str(tmp_path / "shared" / "secrets"),
    )


def test_two_hosts_store_files_in_the_shared_folder_and_sign_with_the_same_keys(tmp_path: Path) -> None:
    # Closed after: a host's runtime keeps its database connections open (Python 3.13 reports them).
    with closing(Runtime(host(tmp_path, "a"))) as a, closing(Runtime(host(tmp_path, "b"))) as b:
        stored = a.store.put_bytes(b"Statistik Daerah Kota Metro")
        assert b.store.read_bytes(stored.sha256) == b"Statistik Daerah Kota Metro"
        assert stored.path.is_relative_to(tmp_path / "shared" / "files")
        assert a.secret_key == b.secret_key and a.delivery_key == b.delivery_key
        assert a.secret_key != a.delivery_key
    assert not (tmp_path / "a" / "secrets").exists() and not (tmp_path / "a" / "files").exists()


def serializer(app: Flask) -> URLSafeTimedSerializer:
    """Return what signs an app's session cookie."""
    found = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert found is not None
    return found


def test_a_session_cookie_signed_by_one_host_is_read_by_another_and_not_by_a_stranger(
    tmp_path: Path,
) -> None:
    a, b = (create_app(host(tmp_path, name)) for name in ("a", "b"))
    stranger = create_app(Settings.from_env({}, instance_dir=tmp_path / "c"))  # keys of its own
    try:
        signed = serializer(a).dumps({"_user_id": "7"})
        assert serializer(b).loads(signed) == {"_user_id": "7"}
        with pytest.raises(BadSignature):
            serializer(stranger).loads(signed)
    finally:
        for app in (a, b, stranger):
            app.extensions["pustaka"].close()


def test_serving_pages_only_without_redis_is_refused_before_anything_starts(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    result = CliRunner().invoke(main, ["serve", "--web-only", "--port", "1"], obj=Runtime(settings))
    assert result.exit_code == 1
    assert "--web-only needs PUSTAKA_REDIS_URL" in result.output
    assert not (tmp_path / "instance" / "pustaka.sqlite3").exists()
