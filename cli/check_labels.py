"""The `pustaka check` line of printed items: the label sheet labels are printed on, and new barcodes."""

from __future__ import annotations

from cli.check_result import Check
from library.collection.barcodes import BarcodeNumbering
from library.errors import SettingsError
from library.settings import Settings, label_sheet


def check_labels(settings: Settings) -> Check:
    """Check that the label sheet setting names a sheet labels fit on; say what new barcodes look like."""
    example = BarcodeNumbering(settings.item_barcode_pattern, settings.office).barcode(1)
    try:
        sheet = label_sheet(settings.label_sheet)
    except SettingsError as exc:
        return Check(
            "item labels",
            False,
            f"{exc} (spine and barcode labels cannot be printed)",
            "Set PUSTAKA_LABEL_SHEET to a sheet's name or to its measures (docs/panduan-pustakawan.md).",
        )
    return Check(
        "item labels",
        True,
        f"{settings.label_sheet}: {sheet.per_sheet} labels of {sheet.width:g} x {sheet.height:g} mm a sheet; "
        f"new copies numbered like {example}",
    )
