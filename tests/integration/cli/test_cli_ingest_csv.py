"""`pustaka ingest --csv`: Excel's sheets are read, files stay in its folder, a bad sheet starts nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from library.db import make_engine, make_session_factory
from library.models import IngestJob, Publication
from library.settings import Settings
from library.uow import UnitOfWork
from tests.integration.library.pdf_helpers import tiny_pdf


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The folder a librarian keeps a batch in: two PDFs, and the sheet to come."""
    batch = tmp_path / "kiriman"
    batch.mkdir()
    (batch / "a.pdf").write_bytes(tiny_pdf("Satu", 1))
    (batch / "b.pdf").write_bytes(tiny_pdf("Dua", 1))
    return batch


def query(settings: Settings, statement):
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        value = uow.session.execute(statement).all()
    engine.dispose()
    return value


def count(settings: Settings, model) -> int:
    return query(settings, select(func.count()).select_from(model))[0][0]


def test_a_csv_batch_gives_each_file_its_metadata(run, settings, tmp_path) -> None:
    (tmp_path / "a.pdf").write_bytes(tiny_pdf("Satu", 1))
    (tmp_path / "b.pdf").write_bytes(tiny_pdf("Dua", 1))
    sheet = tmp_path / "batch.csv"
    sheet.write_text(
        "file,title,katalog_bps,access_level,office\n"
        "a.pdf,Statistik Kesejahteraan Rakyat 2022,4101002.1872,open,1872\n"
        "b.pdf,Indikator Ekonomi 2022,9102001.1805,registered,1805\n",
        encoding="utf-8",
    )
    result = run("ingest", "--csv", str(sheet))
    assert result.exit_code == 0, result.output
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        rows = uow.session.execute(
            select(Publication.title, Publication.katalog_bps, Publication.access_level).order_by(
                Publication.title
            )
        ).all()
        offices = sorted(p.issuing_office.code for p in uow.session.scalars(select(Publication)))
    engine.dispose()
    assert rows == [
        ("Indikator Ekonomi 2022", "9102001.1805", "registered"),
        ("Statistik Kesejahteraan Rakyat 2022", "4101002.1872", "open"),
    ]
    assert offices == ["1805", "1872"]


def test_a_csv_with_an_unknown_column_is_refused_before_anything_is_done(run, settings, tmp_path) -> None:
    sheet = tmp_path / "batch.csv"
    sheet.write_text("file,colour\na.pdf,blue\n", encoding="utf-8")
    result = run("ingest", "--csv", str(sheet))
    assert result.exit_code == 1 and "row 1: unknown column(s): colour." in result.output
    assert count(settings, IngestJob) == 0


def test_a_semicolon_sheet_in_windows_1252_from_excel_is_taken_in_with_a_warning(
    run, settings, folder
) -> None:
    sheet = folder / "batch.csv"
    sheet.write_bytes(
        "file;title;office\r\na.pdf;Statistik Café 2023;1872\r\nb.pdf;Indikator “Ekonomi”;1805\r\n".encode(
            "cp1252"
        )
    )
    result = run("ingest", "--csv", str(sheet))
    assert result.exit_code == 0, result.output
    assert "Warning: batch.csv is not UTF-8; it was read as Windows-1252" in result.output
    assert "2 ingested, 0 skipped, 0 failed." in result.output
    titles = query(settings, select(Publication.title).order_by(Publication.title))
    assert [t for (t,) in titles] == ["Indikator “Ekonomi”", "Statistik Café 2023"]
    assert query(settings, select(IngestJob.channel).distinct()) == [("csv",)]


@pytest.mark.parametrize("named", ["../../../../etc/passwd", "/etc/hostname", "../luar.pdf"])
def test_a_sheet_naming_a_file_outside_its_folder_takes_nothing_in(run, settings, folder, named) -> None:
    (folder.parent / "luar.pdf").write_bytes(tiny_pdf("Luar", 1))
    sheet = folder / "batch.csv"
    sheet.write_text(f"file,title\na.pdf,Satu\n{named},Rahasia\n", encoding="utf-8")
    result = run("ingest", "--csv", str(sheet))
    assert result.exit_code == 1
    assert f"row 3, column 'file': '{named}' is outside the CSV's folder ({folder})" in result.output
    assert "only with --allow-outside" in result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert count(settings, IngestJob) == 0


def test_allow_outside_takes_in_a_file_outside_the_sheets_folder(run, settings, folder) -> None:
    (folder.parent / "luar.pdf").write_bytes(tiny_pdf("Luar", 1))
    sheet = folder / "batch.csv"
    sheet.write_text("file,title\n../luar.pdf,Dari luar\n", encoding="utf-8")
    result = run("ingest", "--csv", str(sheet), "--allow-outside")
    assert result.exit_code == 0, result.output
    assert query(settings, select(Publication.title)) == [("Dari luar",)]


def test_a_sheet_with_bad_rows_lists_every_problem_and_takes_nothing_in(run, settings, folder) -> None:
    (folder / "catatan.pdf").write_text("bukan PDF")
    sheet = folder / "batch.csv"
    sheet.write_text(
        "file;title;actual_release;office\n"
        "a.pdf;Satu;2023-05-01;1872\n"
        "b.pdf;Dua;01/05/2023;1872\n"
        "hilang.pdf;Tiga;;1872\n"
        "catatan.pdf;Empat;;9999\n",
        encoding="utf-8",
    )
    result = run("ingest", "--csv", str(sheet))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "Error: batch.csv: 4 problems; nothing was taken in. Correct the sheet and run the command again."
    )
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  - row 3, column 'actual_release'",
        "  - row 4, column 'file'",
        "  - row 5, column 'office'",
        "  - row 5, column 'file'",
    ]
    assert "--allow-outside" not in result.output
    assert count(settings, IngestJob) == 0 and count(settings, Publication) == 0


def test_a_dry_run_of_a_bad_sheet_lists_the_same_problems(run, settings, folder) -> None:
    sheet = folder / "batch.csv"
    sheet.write_text("file\na.pdf\nhilang.pdf\n", encoding="utf-8")
    result = run("ingest", "--csv", str(sheet), "--dry-run")
    assert result.exit_code == 1
    assert "row 3, column 'file': 'hilang.pdf' does not exist" in result.output
