"""OAI-PMH 2.0 for harvesters: the six verbs over the catalogue.

- `requests`: the protocol's grammar, its errors and datestamps (`parse_request`).
- `verbs`: the verbs as values (`identify`, `list_records`, `get_record`, ...).
- `repository`: the repository as harvesters know it: its name, identifiers and addresses (`Repository`).
- `tokens`: signed, expiring resumption tokens.
- `dublin_core`: a publication as oai_dc with the BPS profile.
- `subject_sets`: the controlled subjects' groups as sets, a subject's English name for dc:subject.
- `collection_sets`: the librarians' collections (series, office and other) as `collection:<slug>` sets.
- `xml`: the responses as XML (`respond`).
"""
