"""A CSV batch: one row per file to take in, with its metadata, checked whole before anything is done.

The sheets come from Excel as often as not. In an Indonesian locale Excel saves "CSV" with `;`
between values (the comma is the decimal sign) and in Windows-1252 unless told "CSV UTF-8";
both are read. Every row is checked (its file, its metadata, the file itself) and every problem
reported at once, naming the row as the spreadsheet numbers it (the header is row 1) and the
column, so a batch is taken in whole or not started.

A row's file must lie in the CSV's folder or below it, unless the caller allows files elsewhere:
a sheet made by someone else must not make Pustaka take in `/etc/passwd`.
"""

from __future__ import annotations

import csv
import errno
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ingest.limits import Limits
from library.errors import InvalidInput, PustakaError
from library.intake.drafts import DRAFT_FIELDS, check_draft
from library.intake.submit import inspect_source
from library.uow import UnitOfWork

DELIMITERS = (",", ";", "\t")
# Tried in turn. cp1252 is what Excel on Windows writes for "CSV"; latin-1 reads any byte, for
# the few that cp1252 leaves undefined.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or the header, row 1) cannot be taken in, and what to do."""

    row: int
    column: str
    message: str
    outside: bool = False  # the row's file lies outside the CSV's folder

    def __str__(self) -> str:
        where = f"row {self.row}, column '{self.column}'" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


class BatchRefused(InvalidInput):
    """The batch has problems; nothing of it was taken in. `problems` lists every one."""

    def __init__(self, source: Path, problems: Iterable[RowProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: p.row))
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len(self.problems)
        super().__init__(
            f"{source.name}: {count} problem{'s' if count != 1 else ''}; nothing was taken in. "
            f"Correct the sheet and run the command again.\n{lines}"
        )


@dataclass(frozen=True)
class BatchRow:
    """One row of the sheet: its number, its file (None when it cannot be used) and its metadata."""

    number: int
    path: Path | None
    draft: dict[str, str]


@dataclass(frozen=True)
class BatchFile:
    """A checked row: a file to take in and the metadata given for it."""

    number: int
    path: Path
    draft: dict[str, str]


@dataclass(frozen=True)
class Batch:
    """The rows of a CSV batch as read, the problems reading found, and how the file was read."""

    source: Path
    rows: tuple[BatchRow, ...]
    problems: tuple[RowProblem, ...]
    encoding: str
    delimiter: str

    @property
    def warning(self) -> str | None:
        """Say what a person should check when the file was not UTF-8, else None."""
        if self.encoding in ("utf-8", "utf-16"):
            return None
        return (
            f"{self.source.name} is not UTF-8; it was read as {ENCODING_NAMES[self.encoding]}, "
            "the encoding Excel uses for 'CSV'. Check that letters such as é or ü in the titles came "
            "out right, or save the sheet as 'CSV UTF-8' next time."
        )


def read_batch(csv_file: Path, *, allow_outside: bool = False) -> Batch:
    """Read a CSV batch, noting each row's problems; raise BatchRefused only if it cannot be read at all.

    Its rows are used through `check_batch`, which reports these problems with its own.
    """
    try:
        raw = csv_file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{csv_file} cannot be read: {exc.strerror or exc}.") from None
    text, encoding = _decode(raw)
    delimiter = _delimiter(text)
    records, broken = _records(text, delimiter)
    if broken:
        raise BatchRefused(csv_file, [broken])
    columns = [name.strip().lower() for name in (records[0][1] if records else [])]
    problems = _header_problems(columns)
    if "file" not in columns:
        raise BatchRefused(csv_file, problems)  # the rows cannot be read without it
    folder = csv_file.parent.resolve()
    rows: list[BatchRow] = []
    for number, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # an empty line, or the `;;;` Excel leaves under a sheet
        row, row_problems = _row(number, columns, cells, folder, allow_outside, delimiter)
        rows.append(row)
        problems.extend(row_problems)
    if not rows:
        problems.append(RowProblem(2, "", "the sheet has a header but no rows of files."))
    return Batch(csv_file, tuple(rows), tuple(problems), encoding, delimiter)


def check_batch(
    uow: UnitOfWork, batch: Batch, limits: Limits, defaults: Mapping[str, str]
) -> list[BatchFile]:
    """Check each row's metadata (over `defaults`) and file; return the files, or name every problem."""
    problems = list(batch.problems)
    files = []
    for row in batch.rows:
        draft = {**defaults, **row.draft}
        try:
            check_draft(uow, draft)
        except PustakaError as exc:
            problems.append(RowProblem(row.number, _draft_column(exc), str(exc)))
        if row.path is None:
            continue
        try:
            inspect_source(row.path, limits)
        except PustakaError as exc:
            problems.append(RowProblem(row.number, "file", str(exc)))
        files.append(BatchFile(row.number, row.path, draft))
    if problems:
        raise BatchRefused(batch.source, problems)
    return files


def _decode(raw: bytes) -> tuple[str, str]:
    """Return the text and the encoding it was read in: UTF-8 (BOM or not), UTF-16 with a BOM, or Excel's."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text"
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def _delimiter(text: str) -> str:
    """Return the separator of the sheet: the one the header row uses most (a comma if none)."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(text: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], RowProblem | None]:
    """Split the text into rows numbered as the spreadsheet numbers them; or the row that breaks it."""
    if "\x00" in text:  # no spreadsheet writes it in a CSV: a workbook (.xlsx) or a binary file
        return [], RowProblem(
            text[: text.index("\x00")].count("\n") + 1,
            "",
            "the file holds NUL characters, so it is not a CSV text file (an Excel workbook, "
            "perhaps). Open it in the spreadsheet and save it as 'CSV UTF-8'.",
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            records.append((number, cells))
    except csv.Error as exc:
        return records, RowProblem(
            len(records) + 1,
            "",
            f"the sheet cannot be read here ({exc}). Open it in a spreadsheet and save it again as CSV.",
        )
    return records, None


def _header_problems(columns: list[str]) -> list[RowProblem]:
    """Return what is wrong with the header row (row 1): no 'file' column, unknown or repeated names."""
    if "file" not in columns:
        return [
            RowProblem(
                1,
                "",
                "the first row must be the header, with a 'file' column naming each row's file "
                f"and metadata columns from: {', '.join(DRAFT_FIELDS)}.",
            )
        ]
    problems = []
    unknown = sorted({name for name in columns if name and name not in ("file", *DRAFT_FIELDS)})
    if unknown:
        problems.append(
            RowProblem(
                1,
                "",
                f"unknown column(s): {', '.join(unknown)}. Use 'file' and {', '.join(DRAFT_FIELDS)}.",
            )
        )
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        problems.append(RowProblem(1, "", f"column(s) named twice: {', '.join(repeated)}. Keep one of each."))
    return problems


def _row(
    number: int, columns: list[str], cells: list[str], folder: Path, allow_outside: bool, delimiter: str
) -> tuple[BatchRow, list[RowProblem]]:
    """Read one row: its file and its metadata (the known columns), and its problems."""
    problems = []
    if any(cell.strip() for cell in cells[len(columns) :]):
        shown = "a tab" if delimiter == "\t" else f"'{delimiter}'"
        problems.append(
            RowProblem(
                number,
                "",
                f"it has {len(cells)} values but the header has {len(columns)} columns. "
                f"A value holding {shown} must be in double quotes.",
            )
        )
    pairs = list(zip(columns, (cell.strip() for cell in cells), strict=False))
    unnamed = [n for n, (name, value) in enumerate(pairs, start=1) if not name and value]
    if unnamed:
        problems.append(RowProblem(number, "", f"column {unnamed[0]} has a value but no name in row 1."))
    path, problem = _file(number, dict(pairs).get("file", ""), folder, allow_outside)
    problems.extend([problem] if problem else [])
    draft = {name: value for name, value in pairs if name in DRAFT_FIELDS and value}
    return BatchRow(number, path, draft), problems


def _file(
    number: int, named: str, folder: Path, allow_outside: bool
) -> tuple[Path | None, RowProblem | None]:
    """Return where a row's file is, or the problem with it: not named, elsewhere, or missing."""
    if not named:
        return None, RowProblem(number, "file", "no file is named; write its name, relative to the CSV.")
    try:
        path = _followed(folder / named)  # an absolute name stays absolute; links are followed
    except (OSError, RuntimeError) as exc:  # a link that points at itself, a name the system refuses
        return None, RowProblem(number, "file", f"'{named}' cannot be followed to a file: {exc}.")
    if not allow_outside and not path.is_relative_to(folder):
        return None, RowProblem(
            number,
            "file",
            f"'{named}' is outside the CSV's folder ({folder}). Move the file into that folder "
            "or one below it, and name it relative to the CSV.",
            outside=True,
        )
    try:
        found = path.exists()
    except OSError as exc:  # a name too long for the system, say
        return None, RowProblem(number, "file", f"'{named}' cannot be looked for: {exc.strerror or exc}.")
    if not found:
        return None, RowProblem(
            number, "file", f"'{named}' does not exist (looked for {path}): check the name."
        )
    return path, None


def _followed(named: Path) -> Path:
    """Return where a name leads, its links followed; raise for a link that leads back to itself.

    Python 3.13 returns such a link as it is where 3.11 and 3.12 raised, so the system is asked
    (a strict resolve); a name that leads nowhere is resolved as far as it goes, to say where it
    was looked for.
    """
    try:
        return named.resolve(strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise
    return named.resolve()


def _draft_column(exc: PustakaError) -> str:
    """Name the column a metadata refusal is about, when it says."""
    if "field" in exc.params:
        return str(exc.params["field"])
    if "level" in exc.params:
        return "access_level"
    if "code" in exc.params:
        return "office"
    return ""
