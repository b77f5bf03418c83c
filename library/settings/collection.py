"""The settings of printed items: how new barcodes are made and which label sheet they are printed on.

Declared apart from the rest (`library.settings.Settings` inherits them). The label sheets are
data here, so a bad PUSTAKA_LABEL_SHEET is refused at start-up and by `pustaka check`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from library.errors import SettingsError
from library.settings.declare import setting as _setting

DEFAULT_ITEM_BARCODE_PATTERN = "{office}{number:06d}"
MAX_BARCODE = 40  # the item table's barcode column
A4 = (210.0, 297.0)  # millimetres


@dataclass(frozen=True)
class LabelSheet:
    """A sheet of self-adhesive labels, in millimetres: how many, how big, where the first one is."""

    columns: int
    rows: int
    width: float  # of one label
    height: float
    top: float  # from the sheet's top edge to the first row
    left: float  # from the sheet's left edge to the first column
    across: float  # from one label's left edge to the next one's (the horizontal pitch)
    down: float  # from one label's top edge to the next row's (the vertical pitch)
    page_width: float = A4[0]
    page_height: float = A4[1]

    @property
    def per_sheet(self) -> int:
        """Return how many labels one sheet holds."""
        return self.columns * self.rows


# Common A4 sheets sold in Indonesia (the numbers are the sheet's own, measured on the sheet).
LABEL_SHEETS: dict[str, LabelSheet] = {
    "a4-3x8": LabelSheet(3, 8, 70.0, 37.0, 0.5, 0.0, 70.0, 37.0),  # 24 labels of 70 x 37 mm
    "a4-3x7": LabelSheet(3, 7, 70.0, 42.3, 0.35, 0.0, 70.0, 42.3),  # 21 labels of 70 x 42.3 mm
    "a4-4x10": LabelSheet(4, 10, 48.5, 25.4, 21.5, 8.0, 48.5, 25.4),  # 40 labels of 48.5 x 25.4 mm
    "a4-2x7": LabelSheet(2, 7, 99.1, 38.1, 15.15, 4.65, 101.6, 38.1),  # 14 labels of 99.1 x 38.1 mm
    "a4-5x13": LabelSheet(5, 13, 38.1, 21.2, 10.7, 4.75, 40.6, 21.2),  # 65 small labels (spines)
}
CUSTOM_KEYS = ("columns", "rows", "width", "height", "top", "left", "across", "down")


@dataclass(frozen=True)
class CollectionSettings:
    """Printed items: their barcodes and their labels; publications' usage (docs/panduan-pustakawan.md)."""

    item_barcode_pattern: str = _setting(
        DEFAULT_ITEM_BARCODE_PATTERN,
        "How a new printed copy's barcode is made: {office} is the office's BPS code, {number} a "
        "sequence that skips every barcode already used (format like {number:06d}).",
    )
    label_sheet: str = _setting(
        "a4-3x8",
        "The sheet spine and barcode labels are printed on: " + ", ".join(LABEL_SHEETS) + ", or "
        "'columns=3,rows=8,width=70,height=37,top=0.5,left=0,across=70,down=37' in millimetres.",
    )
    usage_public: bool = _setting(
        False, "Show each publication's usage (views, reads, downloads a month) to everyone, not only staff."
    )
    usage_keep_events_months: int = _setting(
        3, "Months raw usage events are kept once counted into daily figures (COUNTER); at least 1."
    )


def label_sheet(spec: str) -> LabelSheet:
    """Return the label sheet a PUSTAKA_LABEL_SHEET value names; refuse one that cannot be printed on."""
    text = spec.strip().lower()
    if text in LABEL_SHEETS:
        return LABEL_SHEETS[text]
    values: dict[str, float] = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        try:
            values[key.strip()] = float(value)
        except ValueError:
            values.clear()
            break
    if set(values) != set(CUSTOM_KEYS):
        raise SettingsError(
            "PUSTAKA_LABEL_SHEET must name a sheet (%(names)s) or give every one of %(keys)s in "
            "millimetres, not '%(v)s'.",
            names=", ".join(LABEL_SHEETS),
            keys=", ".join(CUSTOM_KEYS),
            v=spec,
        )
    sheet = LabelSheet(int(values["columns"]), int(values["rows"]), *(values[k] for k in CUSTOM_KEYS[2:]))
    _check_fits(sheet, spec)
    return sheet


def _check_fits(sheet: LabelSheet, spec: str) -> None:
    """Refuse a custom sheet whose labels do not fit on an A4 page."""
    fits = (
        sheet.columns >= 1
        and sheet.rows >= 1
        and min(sheet.width, sheet.height) >= 10
        and min(sheet.top, sheet.left) >= 0
        and sheet.across >= sheet.width
        and sheet.down >= sheet.height
        and sheet.left + (sheet.columns - 1) * sheet.across + sheet.width <= sheet.page_width + 0.01
        and sheet.top + (sheet.rows - 1) * sheet.down + sheet.height <= sheet.page_height + 0.01
    )
    if not fits:
        raise SettingsError(
            "PUSTAKA_LABEL_SHEET '%(v)s' does not fit on an A4 sheet: labels of at least 10 mm, "
            "pitches no smaller than the labels, the last one inside the page.",
            v=spec,
        )


def check_barcode_pattern(pattern: str, office: str) -> None:
    """Refuse a barcode pattern that does not number each copy or makes barcodes a scanner cannot read."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        sample = pattern.format(office=office, number=999999)
    except (ValueError, KeyError, IndexError, AttributeError):
        names, sample = set(), ""
    if "number" not in names or not names <= {"office", "number"} or not sample:
        raise SettingsError(
            "PUSTAKA_ITEM_BARCODE_PATTERN must hold {number} and may hold {office}, not '%(v)s'.",
            v=pattern,
        )
    if len(sample) > MAX_BARCODE - 4 or not sample.isascii() or not sample.isprintable() or " " in sample:
        raise SettingsError(
            "PUSTAKA_ITEM_BARCODE_PATTERN '%(v)s' makes barcodes such as '%(s)s': they must be printable "
            "ASCII without spaces, at most %(max)s characters.",
            v=pattern,
            s=sample,
            max=MAX_BARCODE - 4,
        )
