"""`pustaka check` tries what a day's work needs: the SMTP server, and the base URL reaching this instance."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from werkzeug.serving import make_server

from cli import main
from library.settings import Settings
from runtime.root import Runtime
from tests.integration.library.mail import test_mail as mail_tests
from tests.integration.library.mail.test_mail import free_port
from webapp import create_app

certificate, tls_smtp_server = mail_tests.certificate, mail_tests.tls_smtp_server  # a real SMTP server


def check(settings: Settings) -> Result:
    rt = Runtime(settings)
    try:
        assert CliRunner().invoke(main, ["db", "upgrade"], obj=rt).exit_code == 0
        return CliRunner().invoke(main, ["check"], obj=rt)
    finally:
        rt.close()


@contextmanager
def serving(settings: Settings) -> Iterator[None]:
    """Serve an instance's site on the port its base URL names, in a thread."""
    rt = Runtime(settings)
    port = int(settings.base_url.rsplit(":", 1)[1])
    server = make_server("127.0.0.1", port, create_app(rt), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        thread.join()
        rt.close()


def test_check_signs_in_to_the_smtp_server_and_names_one_that_refuses(
    tmp_path: Path, tls_smtp_server, certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = tls_smtp_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the test server's certificate is trusted
    mail = {"mail_backend": "smtp", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": True}
    right = Settings.from_env(
        {}, instance_dir=tmp_path / "a", smtp_user="pst", smtp_password="rahasia-smtp", **mail
    )
    result = check(right)
    assert f"[ok ] email: the SMTP server 127.0.0.1:{port} takes our mail" in result.output
    assert not inbox.envelopes  # nothing was sent
    for login in ({"smtp_user": "pst", "smtp_password": "salah"}, {}):  # a wrong password, or none
        result = check(Settings.from_env({}, instance_dir=tmp_path / "a", **login, **mail))
        assert result.exit_code == 1
        assert f"[MISSING] email: the SMTP server 127.0.0.1:{port} refused us" in result.output
        assert "535" in result.output or "530" in result.output  # the server's own answer
    nobody = Settings.from_env({}, instance_dir=tmp_path / "b", **{**mail, "smtp_port": free_port()})
    assert "[MISSING] email:" in check(nobody).output


def test_check_finds_this_instance_at_its_base_url_and_not_another(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    mine = Settings.from_env({}, instance_dir=tmp_path / "mine", base_url=url)
    result = check(mine)
    assert result.exit_code == 0, result.output  # nothing answers yet: a note, not a failure
    assert f"[note] base URL: nothing answers at {url}" in result.output
    assert "[ok ] search index: Whoosh: holds all" in result.output  # the engine in use, named
    with serving(mine):
        result = check(mine)
    assert result.exit_code == 0, result.output
    assert f"[ok ] base URL: {url} reaches this instance" in result.output
    other = Settings.from_env({}, instance_dir=tmp_path / "other", base_url=url)
    check(other)
    with serving(other):
        result = check(mine)
    assert result.exit_code == 1
    assert f"[MISSING] base URL: {url} answers, but is not this instance" in result.output


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"base_url": "https://pst.example.go.id/pustaka"}, "is under a path"),
        ({"base_url": "https://pst.example.go.id"}, "is https but PUSTAKA_PROXY_COUNT=0"),
    ],
)
def test_check_refuses_a_base_url_pustaka_cannot_be_served_at(
    tmp_path: Path, overrides, message: str
) -> None:
    result = check(Settings.from_env({}, instance_dir=tmp_path / "i", **overrides))
    assert result.exit_code == 1 and message in result.output


@pytest.mark.parametrize("with_key", [True, False])
def test_check_names_an_unreachable_database_goes_on_and_writes_nothing(
    tmp_path: Path, with_key: bool
) -> None:
    settings = Settings.from_env(
        {},
        instance_dir=tmp_path / "a",
        database_url=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test",
    )
    secrets = settings.secrets_path
    secrets.mkdir(parents=True, exist_ok=True)
    if with_key:
        (secrets / "delivery_key").write_text("k" * 64)
    before = sorted(p.name for p in secrets.iterdir())
    rt = Runtime(settings)
    try:
        result = CliRunner().invoke(main, ["check"], obj=rt)
    finally:
        rt.close()
    assert result.exit_code == 1, result.output
    assert "[MISSING] database: cannot connect to postgresql+psycopg://postgres@127.0.0.1" in result.output
    assert "unexpected error" not in result.output and "Traceback" not in result.output
    assert ("[ok ] delivery key" if with_key else "[note] delivery key") in result.output
    assert sorted(p.name for p in secrets.iterdir()) == before  # no key made
