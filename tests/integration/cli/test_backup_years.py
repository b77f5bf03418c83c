"""Backups kept for years: a dated folder, the retention policy, shared files, the office's key, the copy off.

On SQLite and PostgreSQL: a year of nightly backups (the clock moved, never slept) keeps what
PUSTAKA_BACKUP_KEEP says and holds each stored file once; a backup signed with the office's
key is refused once someone recomputed its manifest; encrypted backups restore; the copy off
the machine runs rsync; the file store's group and setgid bit come back with a restore.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import main
from library.models import BackupRun
from library.moving.filing import describe
from library.settings import Settings
from runtime.root import Runtime
from tests.integration.cli.test_backup_restore import delivered_copy, wipe
from tests.integration.cli.test_cli import load_three

START = dt.datetime(2025, 11, 20, 18, 30, tzinfo=dt.UTC)  # 01:30 WIB, as the shipped timer


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=database_url)


class Office:
    """The CLI on the test's instance, at a moment the test chooses."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.moment: dt.datetime | None = None

    def __call__(self, *args: str) -> Result:
        """Run `pustaka ARGS` (at the chosen moment, when one was chosen)."""
        moment = self.moment
        rt = Runtime(self.settings) if moment is None else Runtime(self.settings, now=lambda: moment)
        return CliRunner().invoke(main, list(args), obj=rt)

    def runs(self) -> list[BackupRun]:
        """Return the backup runs recorded in the database, oldest first."""
        rt = Runtime(self.settings)
        try:
            with rt.uow() as uow:
                rows = list(uow.session.query(BackupRun).order_by(BackupRun.id))
                uow.session.expunge_all()
                return rows
        finally:
            rt.close()


@pytest.fixture
def run(settings: Settings) -> Office:
    return Office(settings)


def keyed(run: Office, tmp_path: Path, *, encrypt: bool = False) -> Path:
    """Make an office backup key outside the instance and set it (and encryption, when asked)."""
    key = tmp_path / "outside" / "backup.key"
    made = run("backup", "--make-key", str(key))
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    run.settings = dataclasses.replace(run.settings, backup_key_file=str(key), backup_encrypt=encrypt)
    return key


@pytest.mark.slow
def test_a_year_of_nightly_backups_keeps_the_policy_and_holds_each_stored_file_once(
    run: Office, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_three(run, monkeypatch)
    # Every fifth night (twelfth on PostgreSQL, where a pg_dump costs half a second): each month,
    # and each of the last weeks, still holds several backups for the policy to choose among.
    nights = range(0, 366, 5 if database_url.startswith("sqlite") else 12)
    for night in nights:
        run.moment = START + dt.timedelta(days=night)
        done = run("backup")
        assert done.exit_code == 0, done.output
    folder = run.settings.backup_path
    kept = sorted(p for p in folder.iterdir() if p.is_dir())
    made = [json.loads((p / "manifest.json").read_text())["made_at"] for p in kept]
    months = {m[:7] for m in made}
    assert len(months) == 12 and len(kept) <= 7 + 4 + 12, made  # every month of the last year, no more
    assert made[-1] == run.moment.isoformat(timespec="seconds")  # the newest is always kept
    stored = [p.relative_to(kept[0]) for p in (kept[0] / "files").rglob("*") if p.is_file()]
    assert stored
    for name in stored:  # each stored file is one inode shared by every backup kept
        inodes = {(p / name).stat().st_ino for p in kept}
        assert len(inodes) == 1 and (kept[0] / name).stat().st_nlink == len(kept)
    runs = run.runs()
    assert len(runs) == len(nights) and all(r.ok for r in runs)
    assert sum(1 for r in runs if r.removed_at is None) == len(kept)
    shared = sum((kept[-1] / name).stat().st_size for name in stored)
    assert runs[-1].written_bytes == runs[-1].size_bytes - shared > 0  # only the database and keys anew


def test_a_manifest_recomputed_without_the_office_key_is_refused_and_nothing_changes(
    run: Office, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    delivered_copy(run, monkeypatch, tmp_path)
    keyed(run, tmp_path)
    backup = tmp_path / "backup"
    assert run("backup", str(backup)).exit_code == 0
    ours = (settings.secrets_path / "secret_key").read_bytes()
    (backup / "secrets" / "secret_key").write_text("f" * 64)  # a foreign key...
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"]["secrets/secret_key"] = describe(backup / "secrets" / "secret_key")  # ...recomputed
    (backup / "manifest.json").write_text(json.dumps(manifest))
    refused = run("restore", "--replace", str(backup))
    assert refused.exit_code == 1 and "was changed after it was made" in refused.output, refused.output
    assert (settings.secrets_path / "secret_key").read_bytes() == ours
    verified = run("backup", "--verify", str(backup))
    assert verified.exit_code == 1 and "HMAC does not match" in verified.output
    del manifest["hmac"], manifest["key_id"]  # ...or unsigned altogether
    (backup / "manifest.json").write_text(json.dumps(manifest))
    refused = run("restore", "--replace", str(backup))
    assert refused.exit_code == 1 and "is not authenticated" in refused.output
    assert (settings.secrets_path / "secret_key").read_bytes() == ours
    assert run("restore", "--replace", "--unauthenticated", str(backup)).exit_code == 0  # the admin's choice


def test_an_encrypted_backup_restores_what_it_holds_and_shares_its_sealed_files(
    run: Office, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = delivered_copy(run, monkeypatch, tmp_path)
    keyed(run, tmp_path, encrypt=True)
    first, second = tmp_path / "b" / "1", tmp_path / "b" / "2"
    assert run("backup", str(first)).exit_code == 0
    assert run("backup", str(second)).exit_code == 0
    secret = (settings.secrets_path / "delivery_key").read_bytes()
    assert secret not in (second / "secrets" / "delivery_key").read_bytes()
    pdfs = [p for p in (second / "files").rglob("*") if p.is_file() and "ink" not in p.parts]
    assert pdfs and all(p.stat().st_nlink == 2 for p in pdfs)
    assert all(b"%PDF" not in p.read_bytes()[:64] for p in pdfs)
    verified = run("backup", "--verify", str(second))
    assert verified.exit_code == 0 and "encrypted" in verified.output
    wipe(settings)
    restored = run("restore", str(second))
    assert restored.exit_code == 0, restored.output
    assert (settings.secrets_path / "delivery_key").read_bytes() == secret
    traced = run("trace", str(copy))
    assert traced.exit_code == 0 and "Putu Ayu" in traced.output
    run.settings = dataclasses.replace(run.settings, backup_key_file="", backup_encrypt=False)
    refused = run("backup", "--verify", str(second))
    assert refused.exit_code == 1 and "is encrypted" in refused.output


def test_the_copy_off_the_machine_runs_after_a_good_backup_and_its_failure_keeps_the_backup(
    run: Office, tmp_path: Path
) -> None:
    assert run("db", "upgrade").exit_code == 0
    assert shutil.which("rsync"), "rsync is missing: scripts/bootstrap --test installs it"
    remote = tmp_path / "remote"
    remote.mkdir()
    run.settings = dataclasses.replace(
        run.settings, backup_copy_command=f"rsync -a --hard-links {{path}} {remote}/"
    )
    done = run("backup")
    assert done.exit_code == 0, done.output
    (local,) = run.settings.backup_path.iterdir()
    assert (remote / local.name / "manifest.json").read_bytes() == (local / "manifest.json").read_bytes()
    run.settings = dataclasses.replace(
        run.settings, backup_copy_command=f"rsync -a {{path}} {tmp_path}/no/such/"
    )
    run.moment = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    failed = run("backup")
    assert failed.exit_code == 1 and "The copy off the machine (rsync) failed" in failed.output
    assert len([p for p in run.settings.backup_path.iterdir() if (p / "manifest.json").exists()]) == 2
    last = run.runs()[-1]
    assert last.ok is False and "is kept" in last.error and last.files > 0


def test_verify_checks_the_newest_backup_and_records_it(run: Office, tmp_path: Path) -> None:
    assert run("db", "upgrade").exit_code == 0
    (run.settings.files_path / "tmp").mkdir(parents=True)
    (run.settings.files_path / "tmp" / "being-written").write_bytes(b"%PDF-1.4 half")
    assert run("backup").exit_code == 0
    (made,) = run.settings.backup_path.iterdir()
    assert "files/tmp/being-written" not in json.loads((made / "manifest.json").read_text())["files"]
    verified = run("backup", "--verify")
    assert verified.exit_code == 0 and "files whole" in verified.output
    (newest,) = run.settings.backup_path.iterdir()
    (newest / "files" / "stray.pdf").write_bytes(b"%PDF-1.4 not ours")
    refused = run("backup", "--verify")
    assert refused.exit_code == 1 and "files/stray.pdf is not in the manifest" in refused.output
    (row,) = run.runs()
    assert row.verified_at is not None and row.verified_ok is False
    checked = run("check").output
    assert f"backup folder: {run.settings.backup_path} is writable" in checked
    assert "backup key: not set" in checked
    assert "last good backup: the last good backup is 0.0 h old" in checked


def test_a_restore_gives_the_file_store_back_its_group_and_setgid_bit(
    run: Office, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    load_three(run, monkeypatch)
    files = settings.files_path
    for folder in [files, *(p for p in files.rglob("*") if p.is_dir())]:
        folder.chmod(0o2750)  # as `pustaka check` asks for the proxy
    assert run("backup", str(tmp_path / "backup")).exit_code == 0
    wipe(settings)
    restored = run("restore", str(tmp_path / "backup"))
    assert restored.exit_code == 0, restored.output
    assert "file store: gave" in restored.output and "new folders passing it on" in restored.output
    folders = [files, *(p for p in files.rglob("*") if p.is_dir())]
    assert len(folders) > 1 and all(p.stat().st_mode & stat.S_ISGID for p in folders)
    assert all(p.stat().st_gid == os.getgid() for p in files.rglob("*"))
    assert all(p.stat().st_mode & 0o040 for p in files.rglob("*") if p.is_file())
    (made,) = run.runs()  # the run that made the backup, "running" in the database it copied
    assert made.ok is True and made.path == str(tmp_path / "backup")
