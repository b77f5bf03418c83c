"""`pustaka check`: installed tools, reachable services, writable folders, and how to fix what is missing."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import smtplib
import subprocess
import sys
from collections.abc import Callable, Mapping
from difflib import get_close_matches

import click
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from cli.check_backups import check_backup_folder, check_backup_key, check_last_backup
from cli.check_base_url import check_base_url
from cli.check_files import (
    check_delivery_key,
    check_folder,
    check_keys_readable,
    check_private,
    check_proxy_reads_files,
)
from cli.check_mailbox import check_mailbox
from cli.check_queue import check_queue
from cli.check_result import Check
from cli.check_service import service_checks
from cli.check_subjects import check_subjects
from cli.check_usage import library_checks
from cli.check_voice import check_voice
from cli.check_whatsapp import check_whatsapp
from cli.context import pass_runtime
from cli.log_check import log_file_state
from library import migrate
from library.catalogue.indexing import index_holds, made_under_other_rules
from library.errors import PustakaError
from library.mail import SmtpBackend, make_mailer, outbox_path
from library.settings import Settings
from library.working_days import knows_cuti_bersama
from runtime.readiness import readiness
from runtime.root import Runtime


def check_database(engine: Engine) -> Check:
    """Check that the database answers and its schema is current."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = migrate.current_revision(engine)
    except SQLAlchemyError as exc:
        return Check(
            "database",
            False,
            f"cannot connect to {engine.url.render_as_string(hide_password=True)}: {exc.__class__.__name__}",
            "Check PUSTAKA_DATABASE_URL, or leave it empty to use SQLite in the instance folder.",
        )
    head = migrate.head_revision()
    if current is not None and current not in migrate.known_revisions():
        return Check(
            "database",
            False,
            f"schema at revision {current}, made by a newer Pustaka (this release knows up to {head})",
            f"Install the newer release again, or with it run `pustaka db downgrade {head}` (back up first).",
        )
    if current != head:
        return Check(
            "database",
            False,
            f"schema at revision {current or 'none'}, the code needs {head}",
            "Run 'pustaka db upgrade'.",
        )
    return Check("database", True, f"{engine.dialect.name}, schema at revision {current}")


# The test and benchmark tools' own variables (docs/testing.md), set beside the settings: not settings.
TOOL_PREFIXES = ("PUSTAKA_TEST_", "PUSTAKA_BENCH_", "PUSTAKA_SCREENSHOT", "PUSTAKA_ACCESSIBILITY_")


def check_variables(environ: Mapping[str, str]) -> Check:
    """Check that every PUSTAKA_* variable set names a setting (a misspelt one would be ignored)."""
    known = [name for name, _default, _doc in Settings.documented()]
    unknown = sorted(
        n for n in environ if n.startswith("PUSTAKA_") and n not in known and not n.startswith(TOOL_PREFIXES)
    )
    if not unknown:
        return Check("settings", True, "every PUSTAKA_* variable set names a setting")
    guesses = [f"{n} (did you mean {m[0]}?)" if (m := get_close_matches(n, known, 1)) else n for n in unknown]
    return Check(
        "settings",
        False,
        f"no setting is named {', '.join(guesses)}: it is ignored",
        "Correct or remove it; docs/configuration.md lists every setting.",
    )


def check_office(code: str) -> Check:
    """Check that the office this deployment serves is one whose service standards Pustaka has."""
    import catalog_data

    offices = {office.code: office.name for office in catalog_data.load_offices()}
    if code not in offices:
        return Check(
            "office",
            False,
            f"PUSTAKA_OFFICE={code} is not an office Pustaka knows (the home page would be 404)",
            f"Set PUSTAKA_OFFICE to one of {', '.join(sorted(offices))}.",
        )
    return Check("office", True, f"{code} {offices[code]}")


def check_tesseract(languages: str = "ind+eng") -> Check:
    """Check that Tesseract is installed with the languages scans are read in (PUSTAKA_OCR_LANGUAGES)."""
    exe = shutil.which("tesseract")
    hint = "Install it: sudo apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng"
    if exe is None:
        return Check("tesseract", False, "Tesseract OCR is not installed (scans cannot be read)", hint)
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("tesseract", False, f"Tesseract does not run ({exc})", hint)
    langs = {line.strip() for line in (out.stdout + out.stderr).splitlines()[1:]}
    missing = [lang for lang in languages.split("+") if lang and lang not in langs]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang.replace('_', '-').lower()}" for lang in missing)
        return Check(
            "tesseract",
            False,
            f"Tesseract lacks the language data of PUSTAKA_OCR_LANGUAGES={languages}: {', '.join(missing)}",
            f"Install it: sudo apt-get install {packages}",
        )
    return Check("tesseract", True, f"Tesseract with {languages}")


def check_program(name: str, package: str, purpose: str, required: bool = True) -> Check:
    """Check that a command-line program is on the PATH."""
    if shutil.which(name):
        return Check(name, True, f"{name} is installed", required=required)
    return Check(
        name,
        False,
        f"{name} is not installed ({purpose})",
        f"Install it: sudo apt-get install {package}",
        required=required,
    )


def check_foot_reader() -> Check:
    """Check that the compiled foot reader was built: a first stamp reads its pages' feet with it."""
    from watermark.ink import content_foot
    from watermark.marks import pcg

    if content_foot.available() and pcg.compiled():
        return Check("foot reader", True, "compiled: first stamps read their pages' feet", required=False)
    if content_foot.available():  # built from an older source, before it drew the codes' words
        return Check(
            "foot reader",
            False,
            "an older build: first stamps draw the hidden codes' words in Python (about 10 ms more)",
            "Build it again: scripts/bootstrap (or pip install --editable . in the installed copy).",
            required=False,
        )
    return Check(
        "foot reader",
        False,
        "not built: a first stamp draws every page's foot, at twice the CPU or more",
        "Install a C compiler (sudo apt-get install gcc python3-dev), then scripts/bootstrap again.",
        required=False,
    )


def check_redis(url: str) -> Check:
    """Check that the configured Redis answers."""
    if not url:
        return Check("redis", True, "not configured: jobs use SQLite in the instance folder", required=False)
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as exc:  # any failure means the same thing to the person reading this
        return Check("redis", False, f"cannot reach {url}: {exc}", "Start Redis or fix PUSTAKA_REDIS_URL.")
    return Check("redis", True, f"{url} answers")


def check_mail(settings: Settings) -> Check:
    """Check that email can leave: the SMTP server takes a connection, TLS and the login (nothing sent)."""
    if settings.mail_backend == "outbox":
        return Check(
            "email",
            True,
            f"outbox: emails are written to {outbox_path(settings)} and reach nobody by themselves",
            required=False,
        )
    backend = make_mailer(settings).backend
    assert isinstance(backend, SmtpBackend)
    try:
        backend.probe(settings.mail_from)
    except (OSError, smtplib.SMTPException) as exc:
        return Check(
            "email",
            False,
            f"the SMTP server {settings.smtp_host}:{settings.smtp_port} refused us: {exc}",
            "Fix PUSTAKA_SMTP_HOST, _PORT, _STARTTLS, _USER and _PASSWORD (or start the mail server): "
            "until then no verification, code or ready email leaves.",
        )
    return Check("email", True, f"the SMTP server {settings.smtp_host}:{settings.smtp_port} takes our mail")


# The joint decree on next year's cuti bersama is usually out by September or October.
DECREE_MONTH = 10


def check_cuti_bersama(today: dt.date) -> Check:
    """Check that the holiday calendar knows this year's cuti bersama (and, from October, next year's)."""
    years = [today.year] + ([today.year + 1] if today.month >= DECREE_MONTH else [])
    unknown = [year for year in years if not knows_cuti_bersama(year)]
    if not unknown:
        listed = " and ".join(str(year) for year in years)
        return Check("cuti bersama", True, f"the holiday calendar lists those of {listed}", required=False)
    missing = " and ".join(str(year) for year in unknown)
    return Check(
        "cuti bersama",
        False,
        f"the installed holiday calendar lists no cuti bersama for {missing}: service deadlines "
        "would count those days as working days",
        "Upgrade it once the government's joint decree for the year is out: "
        ".venv/bin/pip install --upgrade holidays",
        required=False,
    )


def run_checks(settings: Settings, engine: Engine, today: dt.date) -> list[Check]:
    """Run every check of a deployment."""
    return [
        check_folder("instance folder", settings.instance_path),
        check_folder("file store", settings.files_path),
        Check("log file", *log_file_state(settings)),
        check_private("file store's permissions", settings.files_path),
        check_private("secrets' permissions", settings.secrets_path, secrets=True),
        check_keys_readable(settings),
        check_proxy_reads_files(settings),
        check_database(engine),
        check_redis(settings.redis_url),
        check_mail(settings),
        check_mailbox(settings),
        check_variables(os.environ),
        check_office(settings.office),
        check_tesseract(settings.ocr_languages),
        check_program("qpdf", "qpdf", "needed to check and repair PDFs"),
        check_program("pdftoppm", "poppler-utils", "used to check stamped pages", required=False),
        check_foot_reader(),
        check_cuti_bersama(today),
        check_queue(settings),
        check_voice(settings),
        check_whatsapp(settings),
        *library_checks(settings),
    ]


REINDEX = "Run 'pustaka reindex'."


def check_search_index(rt: Runtime) -> Check:
    """Check that the search engine in use holds every listed publication (and no other), naming it."""
    engine_name = "PostgreSQL" if rt.settings.search_in_database else "Whoosh"
    try:
        with rt.uow() as uow:
            listed, held, extra = index_holds(uow, rt.index())
            older = made_under_other_rules(rt.index())
    except (SQLAlchemyError, PustakaError, OSError) as exc:
        return Check(
            "search index", False, f"cannot be read ({exc.__class__.__name__})", "Run 'pustaka reindex'."
        )
    if held < listed or extra:
        return Check(
            "search index",
            False,
            f"{engine_name}: holds {held} of the {listed} publications"
            + (f" and {extra} others" if extra else "")
            + " (searches would miss them)",
            "Run 'pustaka reindex'.",
        )
    if older:
        return Check(
            "search index",
            False,
            f"{engine_name}: {older} publications were indexed under an older glossary"
            " (searches miss its words)",
            "Run 'pustaka reindex' (or restart: 'pustaka serve' rebuilds it).",
        )
    return Check("search index", True, f"{engine_name}: holds all {listed} publications")


@click.command()
@pass_runtime
def check(rt: Runtime) -> None:
    """Report what is installed and what is missing, and what to do about it; change nothing."""
    failed = False
    for item in preflight(rt):
        mark = "ok " if item.ok else ("MISSING" if item.required else "note")
        click.echo(f"[{mark}] {item.name}: {item.detail}")
        if not item.ok:
            click.echo(f"        -> {item.hint}")
            failed = failed or item.required
    if failed:
        click.echo("Some things Pustaka needs are missing; see the lines marked MISSING.")
        sys.exit(1)
    click.echo("Everything Pustaka needs is in place.")


def preflight(rt: Runtime) -> list[Check]:
    """Run every check, each on what the earlier ones established (the database's only once it answers).

    A check that stops on an unexpected error is one failed line naming it, never the end of the
    run; nothing is written (no key is made, no folder created by the checks that need the runtime).
    """
    checks = run_checks(rt.settings, rt.engine, rt.now().date())  # no office zone: the database may be away
    database = next(c for c in checks if c.name == "database").ok
    checks.append(_guarded("delivery key", lambda: check_delivery_key(rt, ledger=database)))
    if checks[-1].ok:
        checks.append(_guarded("base URL", lambda: check_base_url(rt)))
    if database:
        checks.append(_guarded("search index", lambda: check_search_index(rt)))
        checks.append(_guarded("subjects", lambda: check_subjects(rt)))
        checks.extend(service_checks(rt, Check, check_folder))
    checks.extend(_backup_checks(rt, database))
    return checks


def _backup_checks(rt: Runtime, database: bool) -> list[Check]:
    """Return the backup folder's, the backup key's and (the database answering) the last backup's lines."""
    lines = [check_backup_folder(rt.settings), check_backup_key(rt.settings)]
    if database:
        parts = {part.name: part for part in readiness(rt).parts}
        lines.append(_guarded("last good backup", lambda: check_last_backup(parts.get("backup"))))
    return lines


def _guarded(name: str, run: Callable[[], Check]) -> Check:
    """Run one check; an unexpected error is its failed line, with the error's kind."""
    try:
        return run()
    except Exception as exc:  # noqa: BLE001 - a preflight names what it could not check and goes on
        return Check(
            name, False, f"could not be checked ({exc.__class__.__name__}: {exc})", "See the log above."
        )
