"""The printed collection as librarians run it: items (one per copy), labels, in-house use, stock-taking."""

from library.collection.barcodes import BarcodeNumbering, new_barcodes
from library.collection.items import (
    ItemEventView,
    ItemView,
    check_set_item_status,
    clean_barcode,
    find_item,
    items_of_holdings,
    keep_items_in_step,
    recent_items,
)
from library.collection.labels import (
    LabelItem,
    barcode_labels_pdf,
    label_items,
    spine_labels_pdf,
    spine_lines,
)
from library.collection.stocktake_report import (
    ReportLine,
    StocktakeReport,
    report_csv,
    report_pdf,
    stocktake_report,
)
from library.collection.stocktakes import (
    ScanResult,
    StocktakeCounts,
    StocktakeView,
    check_close_stocktake,
    check_pause_stocktake,
    check_resume_stocktake,
    check_scan,
    check_start_stocktake,
    get_stocktake,
    list_stocktakes,
    locations,
)
from library.collection.usage import UseCount, check_record_use, use_counts

__all__ = [
    "BarcodeNumbering",
    "ItemEventView",
    "ItemView",
    "LabelItem",
    "ReportLine",
    "ScanResult",
    "StocktakeCounts",
    "StocktakeReport",
    "StocktakeView",
    "UseCount",
    "barcode_labels_pdf",
    "check_close_stocktake",
    "check_pause_stocktake",
    "check_record_use",
    "check_resume_stocktake",
    "check_scan",
    "check_set_item_status",
    "check_start_stocktake",
    "clean_barcode",
    "find_item",
    "get_stocktake",
    "items_of_holdings",
    "keep_items_in_step",
    "label_items",
    "list_stocktakes",
    "locations",
    "new_barcodes",
    "recent_items",
    "report_csv",
    "report_pdf",
    "spine_labels_pdf",
    "spine_lines",
    "stocktake_report",
    "use_counts",
]
