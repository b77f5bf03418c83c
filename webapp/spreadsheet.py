"""CSV files that spreadsheets open as they should: UTF-8 with a BOM, ',' or ';' between cells.

Excel reads a CSV as UTF-8 only when it starts with a byte-order mark. In the Indonesian
locale, where the comma is the decimal sign, Excel splits a file into columns only at
semicolons: `?pemisah=titik-koma` asks for those. A cell a spreadsheet would run as a
formula ("=...", "+62 812...", "-5", "@SUM") is written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

BOM = "\ufeff"
SEPARATOR, SEMICOLON = "pemisah", "titik-koma"  # the query argument of the ';' option
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def delimiter_of(args: Mapping[str, str]) -> str:
    """Return the separator a download asks for: ';' with `pemisah=titik-koma`, else ','."""
    return ";" if args.get(SEPARATOR) == SEMICOLON else ","


def csv_line(cells: Iterable[str], delimiter: str = ",") -> str:
    """Return one CSV line; text a spreadsheet would run as a formula is quoted as text."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerow(
        "'" + c if c.startswith(_FORMULA_START) else c for c in cells
    )
    return buffer.getvalue()
