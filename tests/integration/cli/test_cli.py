"""The `pustaka` command: each subcommand does its job and fails with one clear line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import catalog_data
from cli import main
from cli.database import add_demo_lockers, sync_offices
from library import migrate
from library.catalogue import indexing
from library.settings import Settings
from runtime.root import Runtime
from tests.integration.library.pdf_helpers import tiny_pdf
from watermark.ink import content_foot
from watermark.marks import pcg


@pytest.fixture
def run(tmp_path: Path, database_url: str):
    """Run the CLI with settings pointing at the test's instance folder and database."""
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=database_url)

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), obj=Runtime(settings), input=input)

    return invoke


def test_db_upgrade_reports_the_schema_is_current(run) -> None:
    result = run("db", "upgrade")
    assert result.exit_code == 0
    assert f"up to date (revision {migrate.head_revision()})" in result.output


def test_users_create_makes_a_staff_account(run) -> None:
    result = run(
        "users", "create", "--email", "pustakawan@bps.go.id", "--name", "Rina", "--role", "librarian"
    )
    assert result.exit_code == 0, result.output
    assert "Created Rina <pustakawan@bps.go.id> with roles librarian." in result.output


def test_users_create_asks_for_a_password_when_told_to(run) -> None:
    result = run(
        "users",
        "create",
        "--email",
        "a@bps.go.id",
        "--name",
        "A",
        "--password",
        input="kata-sandi-panjang\nkata-sandi-panjang\n",
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--email", "x", "--name", "X"), "Error: 'x' is not an email address."),
        (("--email", "x@bps.go.id", "--name", "X", "--role", "boss"), "Error: Unknown role 'boss'"),
    ],
)
def test_users_create_refuses_bad_input_in_one_line(run, args, message: str) -> None:
    result = run("users", "create", *args)
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert "Traceback" not in result.output


def test_users_create_refuses_a_duplicate(run) -> None:
    run("users", "create", "--email", "a@bps.go.id", "--name", "A")
    result = run("users", "create", "--email", "A@bps.go.id", "--name", "B")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_demo_load_loads_then_skips(run, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = catalog_data.load_demo_catalogue()[:3]
    monkeypatch.setattr(catalog_data, "load_demo_catalogue", lambda: sample)
    monkeypatch.setattr(catalog_data, "render_demo_pdf", lambda record: tiny_pdf(record.title))
    first = run("demo", "load")
    second = run("demo", "load")
    assert first.exit_code == 0, first.output
    assert "4 offices, 3 publications added, 0 already there, 1 series made" in first.output  # Dalam Angka
    assert "0 publications added, 3 already there, 0 series made" in second.output


def test_check_passes_when_everything_is_installed(run) -> None:
    run("db", "upgrade")
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "[ok ] tesseract: Tesseract with ind+eng" in result.output
    assert "[ok ] foot reader: compiled" in result.output
    assert "Everything Pustaka needs is in place." in result.output


def test_check_names_a_misspelt_variable_an_unknown_office_and_a_missing_ocr_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUSTAKA_BASE_ULR", "http://pst.example")
    settings = Settings.from_env({}, instance_dir=tmp_path / "i", office="9999", ocr_languages="ind+jpn_vert")
    assert CliRunner().invoke(main, ["db", "upgrade"], obj=Runtime(settings)).exit_code == 0
    result = CliRunner().invoke(main, ["check"], obj=Runtime(settings))
    assert result.exit_code == 1
    assert "PUSTAKA_BASE_ULR (did you mean PUSTAKA_BASE_URL?)" in result.output
    assert "PUSTAKA_OFFICE=9999 is not an office Pustaka knows" in result.output
    assert "lacks the language data of PUSTAKA_OCR_LANGUAGES=ind+jpn_vert: jpn_vert" in result.output
    assert "sudo apt-get install tesseract-ocr-jpn-vert" in result.output


def test_check_tells_of_a_reader_built_before_its_generator(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pcg, "_compiled", None)  # an upgrade whose C was not built again
    result = run("check")
    assert "[note] foot reader: an older build" in result.output and "scripts/bootstrap" in result.output


def test_check_explains_what_is_missing_and_how_to_get_it(
    run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(content_foot, "_footscan", None)  # built where no C compiler was at hand
    result = run("check")
    assert result.exit_code == 1
    assert "[MISSING] tesseract: Tesseract OCR is not installed" in result.output
    assert "[note] foot reader: not built" in result.output and "sudo apt-get install gcc" in result.output
    assert "sudo apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng" in result.output


def test_check_tells_to_upgrade_a_database_without_schema(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "new")
    result = CliRunner().invoke(main, ["check"], obj=Runtime(settings))
    assert result.exit_code == 1
    assert (
        f"[MISSING] database: schema at revision none, the code needs {migrate.head_revision()}"
        in result.output
    )
    assert "-> Run 'pustaka db upgrade'." in result.output


def test_check_reports_an_unreachable_database(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {}, instance_dir=tmp_path, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    result = CliRunner().invoke(main, ["check"], obj=Runtime(settings))
    assert result.exit_code == 1
    assert (
        "[MISSING] database: cannot connect to postgresql+psycopg://nobody@127.0.0.1:1/none" in result.output
    )


def test_a_bad_setting_stops_the_command_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUSTAKA_SMTP_PORT", "twenty-five")
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 1
    assert "PUSTAKA_SMTP_PORT must be a whole number" in result.output


def test_db_upgrade_on_an_unreachable_database_says_so(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {}, instance_dir=tmp_path, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    result = CliRunner().invoke(main, ["db", "upgrade"], obj=Runtime(settings))
    assert result.exit_code == 1
    assert result.output.startswith("Error: The database cannot be used:")


def load_three(run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Load three demo records with quick stand-in PDFs."""
    sample = catalog_data.load_demo_catalogue()[:3]
    monkeypatch.setattr(catalog_data, "load_demo_catalogue", lambda: sample)
    monkeypatch.setattr(catalog_data, "render_demo_pdf", lambda record: tiny_pdf(record.title))
    assert run("demo", "load").exit_code == 0


def test_deliver_then_trace_names_the_recipient(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    load_three(run, monkeypatch)
    out = tmp_path / "copy.pdf"
    delivered = run(
        "deliver",
        "--publication",
        "1",
        "--name",
        "Putu Ayu Saraswati",
        "--email",
        "putu@example.id",
        "--request",
        "REQ-9",
        "--out",
        str(out),
    )
    assert delivered.exit_code == 0, delivered.output
    assert "to Putu Ayu Saraswati" in delivered.output
    traced = run("trace", str(out))
    assert traced.exit_code == 0, traced.output
    assert "This file is exactly delivery" in traced.output
    assert "to Putu Ayu Saraswati <putu@example.id>, request REQ-9" in traced.output


def test_trace_json_lists_the_evidence(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import json

    load_three(run, monkeypatch)
    out = tmp_path / "copy.pdf"
    run("deliver", "--publication", "2", "--name", "Budi", "--out", str(out))
    data = json.loads(run("trace", "--json", str(out)).output)
    assert {"hidden_text", "xmp", "docinfo"} <= set(data["deliveries"][0]["evidence"])


def test_trace_of_an_unmarked_file_says_so_and_exits_1(run, tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(tiny_pdf("biasa"))
    result = run("trace", str(plain))
    assert result.exit_code == 1
    assert "No mark of a known delivery was found in this file." in result.output


def test_deliver_of_an_unknown_publication_fails_in_one_line(run) -> None:
    result = run("deliver", "--publication", "77", "--name", "X", "--out", "/tmp/never.pdf")
    assert result.exit_code == 1
    assert result.output == "Error: There is no publication number 77.\n"


def test_the_demo_gives_the_offices_front_desk_twelve_lockers_once(tmp_path: Path, database_url: str) -> None:
    rt = Runtime(Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=database_url))
    sync_offices(rt)
    assert add_demo_lockers(rt) == 12
    assert add_demo_lockers(rt) == 0
    rt.close()


def test_check_warns_when_the_holiday_calendar_has_no_cuti_bersama_for_the_coming_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cli import check as checks

    assert checks.check_cuti_bersama(dt.date(2026, 11, 23)).ok  # 2026's and 2027's are out
    assert checks.check_cuti_bersama(dt.date(2026, 5, 4)).ok  # next year's are not asked for yet
    monkeypatch.setattr(checks, "knows_cuti_bersama", lambda year: year < 2027)
    warning = checks.check_cuti_bersama(dt.date(2026, 11, 23))
    assert not warning.ok and not warning.required  # said, without failing the check
    assert "no cuti bersama for 2027" in warning.detail
    assert "pip install --upgrade holidays" in warning.hint


def test_report_hide_term_hides_lists_and_shows_a_search_term_again(run) -> None:
    run("db", "upgrade")
    hidden = run("report", "hide-term", "  Slot GACOR ")
    assert hidden.exit_code == 0, hidden.output
    assert "'slot gacor' is hidden from the top searches" in hidden.output
    assert run("report", "hide-term").output.strip() == "slot gacor"
    shown = run("report", "hide-term", "slot gacor", "--show")
    assert shown.exit_code == 0 and "may appear in the top searches again" in shown.output
    assert run("report", "hide-term").output.strip() == "No search term is hidden."
    refused = run("report", "hide-term", "budi@example.id")  # personal data is never counted anyway
    assert refused.exit_code != 0 and "Type the search term to hide" in refused.output


def test_users_list_roles_deactivate_and_unlock_from_the_command_line(run, tmp_path: Path) -> None:
    assert (
        run(
            "users", "create", "--email", "wulan@bps.go.id", "--name", "Wulan", "--role", "librarian"
        ).exit_code
        == 0
    )
    listed = run("users", "list", "wulan")
    assert "wulan@bps.go.id" in listed.output and "librarian" in listed.output and "1 in all" in listed.output
    changed = run("users", "roles", "wulan@bps.go.id", "--role", "front_office", "--role", "admin")
    assert changed.exit_code == 0 and "now has: admin, front_office." in changed.output
    assert "now has: reader." in run("users", "roles", "wulan@bps.go.id").output  # no staff role left
    assert "is deactivated" in run("users", "deactivate", "wulan@bps.go.id").output
    assert "DEACTIVATED" in run("users", "list").output
    assert "is active" in run("users", "activate", "wulan@bps.go.id").output
    assert "may sign in again now" in run("users", "unlock", "Wulan@BPS.go.id").output
    missing = run("users", "deactivate", "nobody@example.id")
    assert (
        missing.exit_code == 1 and "There is no account with the address nobody@example.id" in missing.output
    )


def test_db_downgrade_takes_the_schema_back_and_newer_schemas_are_named_in_words(
    run, database_url: str
) -> None:
    from sqlalchemy import text

    from library.db import make_engine

    run("db", "upgrade")
    refused = run("db", "downgrade", "0026")  # asked to confirm, and nothing typed
    assert refused.exit_code == 1 and "Aborted" in refused.output
    done = run("db", "downgrade", "0026", "--yes")
    assert done.exit_code == 0, done.output
    assert "to revision 0026" in done.output
    assert "Upgraded the database from 0026" in run("db", "upgrade").output
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    try:
        upgraded, checked = run("db", "upgrade"), run("check")
    finally:  # the schema of PostgreSQL tests is the next test's too
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": migrate.head_revision()}
            )
        engine.dispose()
    assert (
        upgraded.exit_code == 1
        and "The database is at schema 0099, which a newer Pustaka made" in upgraded.output
    )
    assert checked.exit_code == 1 and "schema at revision 0099, made by a newer Pustaka" in checked.output


def test_check_says_when_the_search_index_misses_publications(
    run, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_three(run, monkeypatch)
    assert run("reindex").exit_code == 0  # the index jobs the load queued, done at once
    assert "holds all 3 publications" in run("check").output
    rt = Runtime(Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=database_url))
    rt.index().delete(["1", "2"])  # as after an upgrade that moved search to empty tables
    rt.close()
    checked = run("check")
    assert checked.exit_code == 1 and "holds 1 of the 3 publications" in checked.output
    assert "Run 'pustaka reindex'." in checked.output
    assert run("reindex").exit_code == 0 and "holds all 3 publications" in run("check").output


def test_an_upgrade_fills_a_search_index_it_finds_empty(
    run, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_three(run, monkeypatch)
    assert run("reindex").exit_code == 0
    rt = Runtime(Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=database_url))
    rt.index().delete(["1", "2", "3"])  # as after an upgrade that moved search to empty tables
    rt.close()
    upgraded = run("db", "upgrade")
    assert (
        upgraded.exit_code == 0
        and "The search index was empty or made by an older release: 3 publications indexed."
        in upgraded.output
    )
    assert "holds all 3 publications" in run("check").output
    assert "search index" not in run("db", "upgrade").output  # a full index is left alone


def test_an_upgrade_rebuilds_a_search_index_made_under_another_glossary(
    run, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_three(run, monkeypatch)
    current = indexing.analysis_signature
    monkeypatch.setattr(indexing, "analysis_signature", lambda: "0ld0ld00")  # an older release's rules
    assert run("reindex").exit_code == 0
    monkeypatch.setattr(indexing, "analysis_signature", current)
    checked = run("check")
    assert checked.exit_code == 1 and "3 publications were indexed under an older glossary" in checked.output
    assert "3 publications indexed" in run("db", "upgrade").output
    assert "search index" not in run("db", "upgrade").output  # now made under this release's rules
