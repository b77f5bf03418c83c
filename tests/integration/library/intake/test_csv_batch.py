"""A CSV batch is read as Excel saves it, keeps to its folder, and is checked whole before anything starts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from library.errors import InvalidInput
from library.intake.csv_batch import BatchRefused, check_batch, read_batch
from tests.integration.library.ingest_fixtures import LIMITS, load_offices
from tests.integration.library.pdf_helpers import tiny_pdf


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A batch folder holding two PDFs, with a sub-folder holding a third."""
    batch = tmp_path / "kiriman"
    (batch / "2023").mkdir(parents=True)
    (batch / "a.pdf").write_bytes(tiny_pdf("Satu", 1))
    (batch / "b.pdf").write_bytes(tiny_pdf("Dua", 1))
    (batch / "2023" / "c.pdf").write_bytes(tiny_pdf("Tiga", 1))
    return batch


def sheet(folder: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / "batch.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def refusal(csv_file: Path, **options: bool) -> list[str]:
    """Return the problems reading the sheet finds (all, or the one that stops it)."""
    try:
        batch = read_batch(csv_file, **options)
    except BatchRefused as exc:
        return [str(problem) for problem in exc.problems]
    return [str(problem) for problem in batch.problems]


def test_a_utf8_sheet_gives_each_row_its_file_and_metadata(folder: Path) -> None:
    batch = read_batch(sheet(folder, "file,title\na.pdf,Statistik Daerah\n2023/c.pdf,Indikator\n"))
    assert [(r.number, r.path, r.draft) for r in batch.rows] == [
        (2, folder / "a.pdf", {"title": "Statistik Daerah"}),
        (3, folder / "2023" / "c.pdf", {"title": "Indikator"}),
    ]
    assert batch.encoding == "utf-8" and batch.warning is None


@pytest.mark.parametrize(
    ("content", "encoding", "delimiter", "read_as"),
    [
        ("\ufefffile;title\na.pdf;Statistik Kesejahteraan Rakyat Pekanbaru\n", "utf-8", ";", "utf-8"),
        ("file;title\r\na.pdf;Statistik Kesejahteraan Rakyat Pekanbaru\r\n", "utf-8", ";", "utf-8"),
        ("file\ttitle\na.pdf\tStatistik Kesejahteraan Rakyat Pekanbaru\n", "utf-16", "\t", "utf-16"),
        ("file,title\na.pdf,Statistik Kesejahteraan Rakyat Pekanbaru\n", "utf-8", ",", "utf-8"),
    ],
    ids=["utf8-bom-semicolon", "utf8-crlf-semicolon", "excel-unicode-text", "utf8-comma"],
)
def test_the_sheets_excel_saves_are_read(
    folder: Path, content: str, encoding: str, delimiter: str, read_as: str
) -> None:
    batch = read_batch(sheet(folder, content, encoding))
    assert batch.delimiter == delimiter and batch.encoding == read_as
    assert [(r.path.name, r.draft) for r in batch.rows] == [
        ("a.pdf", {"title": "Statistik Kesejahteraan Rakyat Pekanbaru"})
    ]


def test_a_windows_1252_sheet_is_read_with_a_warning(folder: Path) -> None:
    batch = read_batch(sheet(folder, "file;title\na.pdf;Café “Statistik” 2023\n", "cp1252"))
    assert batch.rows[0].draft == {"title": "Café “Statistik” 2023"}
    assert batch.encoding == "cp1252"
    assert "not UTF-8" in batch.warning and "Windows-1252" in batch.warning and "CSV UTF-8" in batch.warning


def test_bytes_that_windows_1252_leaves_undefined_are_read_as_latin_1(folder: Path) -> None:
    batch = read_batch(sheet(folder, b"file,title\na.pdf,Caf\xe9 \x81\n"))
    assert batch.encoding == "latin-1" and batch.rows[0].draft == {"title": "Café \x81"}
    assert "Latin-1" in batch.warning


@pytest.mark.parametrize(
    "named",
    ["../../../../etc/passwd", "/etc/hostname", "../b-elsewhere.pdf", "2023/../../b-elsewhere.pdf"],
)
def test_a_file_outside_the_sheets_folder_is_refused(folder: Path, named: str) -> None:
    (folder.parent / "b-elsewhere.pdf").write_bytes(tiny_pdf("Luar", 1))
    problems = refusal(sheet(folder, f"file\n{named}\n"))
    assert len(problems) == 1
    assert problems[0].startswith(f"row 2, column 'file': '{named}' is outside the CSV's folder ({folder})")


def test_a_link_inside_the_folder_to_a_file_outside_is_refused(folder: Path) -> None:
    os.symlink("/etc/hostname", folder / "hostname.pdf")
    problems = refusal(sheet(folder, "file\nhostname.pdf\n"))
    assert "is outside the CSV's folder" in problems[0]


def test_a_link_that_points_at_itself_is_a_row_problem_not_a_crash(folder: Path) -> None:
    os.symlink("lingkaran.pdf", folder / "lingkaran.pdf")
    problems = refusal(sheet(folder, "file\nlingkaran.pdf\n"))
    assert problems[0].startswith("row 2, column 'file': 'lingkaran.pdf' cannot be followed to a file")


def test_a_file_outside_is_taken_when_allowed(folder: Path) -> None:
    outside = folder.parent / "b-elsewhere.pdf"
    outside.write_bytes(tiny_pdf("Luar", 1))
    batch = read_batch(sheet(folder, "file\n../b-elsewhere.pdf\n"), allow_outside=True)
    assert [r.path for r in batch.rows] == [outside]


def test_every_problem_is_reported_at_once_with_its_row_and_column(folder: Path) -> None:
    problems = refusal(
        sheet(
            folder,
            "file,title,colour\n"
            "a.pdf,Satu,merah\n"
            ",Tanpa berkas,\n"
            "\n"
            "hilang.pdf,Tidak ada,\n"
            "b.pdf,Dua, koma,biru\n"
            "../../etc/passwd,Rahasia,\n",
        )
    )
    assert problems == [
        "row 1: unknown column(s): colour. Use 'file' and " + problems[0].split("Use 'file' and ")[1],
        "row 3, column 'file': no file is named; write its name, relative to the CSV.",
        f"row 5, column 'file': 'hilang.pdf' does not exist (looked for {folder / 'hilang.pdf'}): "
        "check the name.",
        "row 6: it has 4 values but the header has 3 columns. A value holding ',' must be in double quotes.",
        problems[4],
    ]
    assert problems[4].startswith("row 7, column 'file': '../../etc/passwd' is outside the CSV's folder")


def test_a_file_name_too_long_for_the_system_is_a_problem_of_its_row(folder: Path) -> None:
    problems = refusal(sheet(folder, "file\n" + "a" * 300 + ".pdf\n"))
    assert problems == [f"row 2, column 'file': '{'a' * 300}.pdf' cannot be looked for: File name too long."]


def test_empty_rows_excel_leaves_below_the_sheet_are_ignored(folder: Path) -> None:
    batch = read_batch(sheet(folder, "file;title;;\na.pdf;Satu;;\n;;;\n;;;\n"))
    assert [(r.number, r.path.name) for r in batch.rows] == [(2, "a.pdf")]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("title\nSatu\n", "row 1: the first row must be the header, with a 'file' column"),
        ("", "row 1: the first row must be the header, with a 'file' column"),
        ("file,title\n", "row 2: the sheet has a header but no rows of files."),
        ("file,title,title\na.pdf,Satu,Dua\n", "row 1: column(s) named twice: title. Keep one of each."),
        ("file,title\na.pdf,Satu\x00\n", "row 2: the file holds NUL characters, so it is not a CSV"),
        (
            "file,abstract\na.pdf," + "x" * 200_000 + "\n",
            "row 2: the sheet cannot be read here (field larger",
        ),
    ],
    ids=["no-file-column", "empty", "no-rows", "repeated-column", "nul-byte", "huge-field"],
)
def test_a_sheet_that_cannot_be_a_batch_says_why(folder: Path, content: str, expected: str) -> None:
    problems = refusal(sheet(folder, content))
    assert problems[0].startswith(expected), problems


def test_an_excel_workbook_named_csv_is_refused_as_not_a_csv(folder: Path) -> None:
    problems = refusal(sheet(folder, b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01"))
    assert problems == [
        "row 1: the file holds NUL characters, so it is not a CSV text file (an Excel workbook, perhaps). "
        "Open it in the spreadsheet and save it as 'CSV UTF-8'."
    ]


def test_header_names_are_read_whatever_their_case_and_spaces(folder: Path) -> None:
    batch = read_batch(sheet(folder, " File ; Title \na.pdf;Satu\n"))
    assert batch.rows[0].draft == {"title": "Satu"}


def test_the_refusal_is_one_message_naming_the_sheet_and_every_problem(uow, folder: Path) -> None:
    batch = read_batch(sheet(folder, "file\nx.pdf\ny.pdf\n"))
    with uow, pytest.raises(InvalidInput) as caught:
        check_batch(uow, batch, LIMITS, {})
    lines = str(caught.value).splitlines()
    assert (
        lines[0]
        == "batch.csv: 2 problems; nothing was taken in. Correct the sheet and run the command again."
    )
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  - row 2, column 'file'",
        "  - row 3, column 'file'",
    ]


def test_checking_a_batch_reports_every_rows_metadata_and_file_problems(uow, folder: Path) -> None:
    load_offices(uow)
    (folder / "bukan.pdf").write_text("ini bukan PDF")
    batch = read_batch(
        sheet(
            folder,
            "file,title,actual_release,access_level,office\n"
            "a.pdf,Satu,2023-13-01,open,\n"
            "b.pdf,Dua,,rahasia,\n"
            "2023/c.pdf,Tiga,,,9999\n"
            "bukan.pdf,Empat,,,\n"
            "hilang.pdf,Lima,,,\n",
        )
    )
    with uow, pytest.raises(BatchRefused) as caught:
        check_batch(uow, batch, LIMITS, {"office": "1872"})
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [(2, "actual_release"), (3, "access_level"), (4, "office"), (5, "file"), (6, "file")]
    assert "YYYY-MM-DD" in caught.value.problems[0].message


def test_a_good_batch_passes_its_check_with_the_defaults_under_each_row(uow, folder: Path) -> None:
    load_offices(uow)
    batch = read_batch(sheet(folder, "file;title;office\na.pdf;Satu;1872\n2023/c.pdf;Tiga;\n"))
    with uow:
        files = check_batch(uow, batch, LIMITS, {"office": "1805"})
    assert [(f.number, f.path, f.draft) for f in files] == [
        (2, folder / "a.pdf", {"office": "1872", "title": "Satu"}),
        (3, folder / "2023" / "c.pdf", {"office": "1805", "title": "Tiga"}),
    ]


def test_a_row_with_a_missing_file_still_has_its_metadata_checked(uow, folder: Path) -> None:
    load_offices(uow)
    batch = read_batch(sheet(folder, "file,actual_release\nhilang.pdf,kemarin\n"))
    with uow, pytest.raises(BatchRefused) as caught:
        check_batch(uow, batch, LIMITS, {})
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "file"), (2, "actual_release")]
