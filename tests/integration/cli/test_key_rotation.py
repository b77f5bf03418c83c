"""`pustaka keys rotate`: new keys sign, the retired ones still verify what they signed.

A copy stamped before the rotation keeps its QR page ("Salinan asli"), its QR signature and its
dot pattern in a trace, also after a backup and restore; a copy stamped after is signed with the
new key alone. A password link mailed before a session-key rotation still opens, and a session
signed before it stays signed in, until the sessions are ended: then no key of any earlier
rotation verifies anything.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import closing
from pathlib import Path

import pytest
from flask_login.utils import encode_cookie
from sqlalchemy import select

from library.accounts.mail_job import reset_fingerprint
from library.models import Delivery, User
from library.models.base import utcnow
from library.settings import Settings
from library.tokens import RESET_PASSWORD, SESSION_KEY_KEPT, key_files, make_token, rotate_key
from runtime.root import Runtime
from tests.integration.cli import test_backup_restore as backups
from tests.integration.cli.test_backup_restore import delivered_copy, wipe
from watermark.marks.mark import sign
from watermark.trace.reading import read_marks
from webapp import create_app

settings, run = backups.settings, backups.run  # the backup tests' instance and command line


def _traced(run, copy: Path) -> dict:  # type: ignore[no-untyped-def]
    done = run("trace", "--json", str(copy))
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def _signed_with(copy: Path, key: bytes) -> bool:
    """Tell whether the copy's QR codes carry signatures by this key."""
    found = [e.signature_valid for e in read_marks(copy, secret=key, ocr=False).evidence if e.kind == "qr"]
    assert found
    return all(found)


def _verdict(settings: Settings, delivery_id: str, signature: str) -> tuple[int, str]:
    with closing(Runtime(settings)) as rt:
        page = create_app(rt).test_client().get(f"/verifikasi/{delivery_id}/{signature}")
        return page.status_code, page.get_data(as_text=True)


def test_copies_stamped_before_a_rotation_still_verify_and_trace_after_it_and_after_a_restore(
    run, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = delivered_copy(run, monkeypatch, tmp_path)
    old_key = (settings.secrets_path / "delivery_key").read_bytes().strip()
    rotated = run("keys", "rotate", "--key", "delivery")
    assert rotated.exit_code == 0, rotated.output
    new_key = (settings.secrets_path / "delivery_key").read_bytes().strip()
    assert new_key != old_key
    after = tmp_path / "after.pdf"
    done = run(
        "deliver",
        "--publication",
        "2",
        "--name",
        "Made Wira",
        "--email",
        "made@example.id",
        "--out",
        str(after),
    )
    assert done.exit_code == 0, done.output
    with closing(Runtime(settings)) as rt, rt.uow() as uow:
        first, second = uow.session.scalars(select(Delivery.delivery_id).order_by(Delivery.id)).all()
    assert _signed_with(after, new_key) and not _signed_with(after, old_key)  # the new key signs
    assert _signed_with(before, old_key)
    status, page = _verdict(settings, first, sign(first, old_key))
    assert status == 200 and "Salinan asli" in page
    status, page = _verdict(settings, second, sign(second, new_key))
    assert status == 200 and "Salinan asli" in page
    assert _verdict(settings, second, sign(second, b"x" * 64))[0] == 404  # (a key of nobody's: refused)

    assert run("backup", str(tmp_path / "backup")).exit_code == 0
    wipe(settings)
    assert run("restore", str(tmp_path / "backup")).exit_code == 0
    assert len(key_files(settings.secrets_path)) == 3  # both keys and the retired delivery key
    for copy, delivery_id in ((before, first), (after, second)):
        report = _traced(run, copy)
        named = {d["delivery_id"]: d for d in report["deliveries"]}
        assert named[delivery_id]["signature_valid"] is True
        assert "fingerprint" in named[delivery_id]["evidence"]  # its dots, read where its key put them


def test_a_link_and_a_session_made_before_a_session_key_rotation_still_work(
    run, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert run("db", "upgrade").exit_code == 0
    made = run(
        "users", "create", "--email", "sari@example.id", "--name", "Sari", "--password", "kata-sandi-1234"
    )
    assert made.exit_code == 0, made.output
    before = Runtime(settings)
    client = create_app(before).test_client()
    with client.session_transaction() as session:
        session["marker"] = "before"
    old_key = (settings.secrets_path / "secret_key").read_bytes().strip()
    with before.uow() as uow:
        user = uow.session.scalars(select(User).where(User.email == "sari@example.id")).one()
        token = make_token(old_key, RESET_PASSWORD, {"u": user.id, "p": reset_fingerprint(user)}, utcnow())
        remembered = encode_cookie(f"{user.id}:{user.session_version}", key=old_key)  # "keep me signed in"
    rotated = run("keys", "rotate", "--key", "session")
    assert rotated.exit_code == 0 and "signed with the new key at once" in rotated.output
    assert (settings.secrets_path / "secret_key").read_bytes().strip() != old_key

    before.close()
    after = Runtime(settings)
    fresh = create_app(after).test_client()  # a web process started after the rotation
    fresh.set_cookie("session", client.get_cookie("session").value)  # the browser's cookie from before
    with fresh.session_transaction() as session:
        assert session.get("marker") == "before"
    assert fresh.get(f"/atur-ulang-sandi/{token}").status_code == 200  # the link mailed before
    assert fresh.get(f"/atur-ulang-sandi/{token}x").status_code != 200  # (an altered one is refused)
    returning = create_app(after).test_client()  # a browser whose session ended, remembered on the device
    returning.set_cookie("remember_token", remembered)
    assert returning.get("/permintaan/").status_code == 200  # signed in again by the cookie from before
    assert create_app(after).test_client().get("/permintaan/").status_code == 302  # (else: to sign in)
    after.close()


def test_keys_list_names_each_key_by_a_fingerprint_never_the_key(run, settings: Settings) -> None:
    assert run("db", "upgrade").exit_code == 0
    assert run("keys", "rotate").exit_code == 0
    listed = run("keys", "list")
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("current") == 2 and listed.output.count("retired") == 2
    for name in key_files(settings.secrets_path):
        assert (settings.secrets_path / name).read_text().strip() not in listed.output


def test_check_says_when_the_delivery_key_did_not_sign_the_ledgers_copies(
    run, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    delivered_copy(run, monkeypatch, tmp_path)
    assert run("keys", "rotate", "--key", "delivery").exit_code == 0
    checked = run("check")
    assert (
        "[ok ] delivery key:" in checked.output and "signed the newest copy in the ledger" in checked.output
    )
    for name in key_files(settings.secrets_path):
        if name.startswith("delivery_key."):
            (settings.secrets_path / name).unlink()  # the key that signed it, lost (another instance's)
    checked = run("check")
    assert checked.exit_code == 1
    assert "did not sign the newest copy in the ledger" in checked.output


def test_a_running_web_process_signs_with_a_rotated_key_and_drops_an_expired_one_without_a_restart(
    run, settings: Settings
) -> None:
    assert run("db", "upgrade").exit_code == 0
    clock = [utcnow()]
    rt = Runtime(settings, now=lambda: clock[0])
    app = create_app(rt)  # one web process, never restarted below
    old = app.test_client()
    with old.session_transaction() as session:
        session["marker"] = "before"
    assert run("keys", "rotate", "--key", "session").exit_code == 0
    new_key = (settings.secrets_path / "secret_key").read_bytes().strip()

    new = app.test_client()
    with new.session_transaction() as session:
        session["marker"] = "after"
    signed = app.session_interface.get_signing_serializer(app)
    assert signed is not None and signed.secret_keys[-1] == new_key  # new sessions: the new key, no restart
    with old.session_transaction() as session:
        assert session.get("marker") == "before"  # the retired key still verifies what it signed

    clock[0] += SESSION_KEY_KEPT + dt.timedelta(minutes=1)  # the folder unchanged: only time passed
    with old.session_transaction() as session:
        assert "marker" not in session  # expired with its key, in the process that read it a month ago
    with new.session_transaction() as session:
        assert session.get("marker") == "after"
    rt.close()


def test_ending_every_session_deletes_the_keys_of_every_earlier_rotation_and_keeps_delivery_keys(
    run, settings: Settings
) -> None:
    assert run("db", "upgrade").exit_code == 0
    made = run(
        "users", "create", "--email", "sari@example.id", "--name", "Sari", "--password", "sandi-1234-ok"
    )
    assert made.exit_code == 0, made.output
    folder = settings.secrets_path
    with closing(Runtime(settings)) as rt, rt.uow() as uow:
        first_key = rt.secret_key
        user = uow.session.scalars(select(User).where(User.email == "sari@example.id")).one()
        remembered = encode_cookie(f"{user.id}:{user.session_version}", key=first_key)
        rt.delivery_key  # noqa: B018 (made now, to be rotated below)
    now = utcnow()
    rotate_key(folder, "secret_key", now - dt.timedelta(days=20))  # the first key, retired 20 days ago
    rotate_key(folder, "secret_key", now - dt.timedelta(days=2))  # and the second
    rotate_key(folder, "delivery_key", now - dt.timedelta(days=2))

    def signs_in() -> bool:
        """Tell whether a web process started now signs the browser in by its cookie from the first key."""
        with closing(Runtime(settings)) as rt:
            browser = create_app(rt).test_client()
            browser.set_cookie("remember_token", remembered)
            return browser.get("/permintaan/").status_code == 200

    assert signs_in()  # two rotations later, the first key still verifies (as it should, for 31 days)
    ended = run("keys", "rotate", "--key", "session", "--end-sessions")
    assert ended.exit_code == 0, ended.output
    assert "every retired session key is deleted (3:" in ended.output
    assert not signs_in()
    assert [name for name in key_files(folder) if name.startswith("secret_key")] == ["secret_key"]
    assert len([name for name in key_files(folder) if name.startswith("delivery_key.retired-")]) == 1
    refused = run("keys", "rotate", "--key", "delivery", "--end-sessions")
    assert refused.exit_code == 2 and "--key session" in refused.output
