"""Persistent identifiers and citations: what lets a publication be cited and found again.

A publication is seen once as a `CitationRecord` (`records`) that every format reads: APA 7 and the
BPS style, BibTeX, RIS, DataCite (kernel 4), and the page's meta tags for Google Scholar and
harvesters. Start at `resolving` (`resolve`: an identifier to its publication or tombstone) and
`records` (`persistent_url`, the DOI rule); `health` is what `pustaka check` reads.

Identifiers are minted when a publication row is inserted (`library.models.identifier`).
"""
