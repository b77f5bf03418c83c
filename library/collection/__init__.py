"""The printed collection as librarians run it: items (one per copy), labels, in-house use, stock-taking.

Each printed copy of a holding is an item with a barcode (the office's pattern), a status and a
history; labels are printed on sheets, copies read in the reading room are counted when scanned
back, and a stock-taking scans a place's shelves then reports what is missing. Start at `items`
and `stocktakes` (`check_start_stocktake`, `check_close_stocktake`). A publication's holdings
themselves are the catalogue's (`library.catalogue.holdings`).
"""
