"""Persistent identifiers and citations: what lets a publication be cited and found again.

- `records`: a publication as the citation formats see it (`CitationRecord`), its addresses
  under a base URL (`persistent_url`), the DOI rule (`DOI`, `normal_doi`).
- `names`: the issuing office as author and publisher.
- `resolving`: an identifier to its publication or tombstone; a page's citations and meta tags.
- `health`: what `pustaka check` reads (the counter against the numbers held).
- `citations` (APA 7, the BPS style), `bibtex`, `ris`, `datacite` (kernel 4), `meta_tags`
  (Highwire Press and Dublin Core).

Identifiers are minted when a publication row is inserted (`library.models.identifier`).
"""
