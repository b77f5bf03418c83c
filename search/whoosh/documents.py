"""What the Whoosh index holds of one publication: the value of each field of the schema.

The body's pages go to the public or the closed fields, in the publication's language; titles
and descriptions to their groups in both languages as the glossary gives them.
"""

from __future__ import annotations

from search.analysis import is_english
from search.clauses import identifier_variants
from search.engine import PublicationDoc
from search.glossary import indexed_texts
from search.whoosh.schema import CLOSED_GROUP, GROUP_PAGE_FIELDS, paged


def document_fields(doc: PublicationDoc) -> dict:
    """Return the Whoosh field values of a publication."""
    body = paged((page.number, page.text) for page in doc.pages)
    language = "en" if is_english(doc.language) else "id"
    body_group = CLOSED_GROUP if doc.pages_closed else "body"
    values = {
        "publication_id": doc.publication_id,
        "fingerprint": doc.fingerprint,
        "title": doc.title,
        "abstract": doc.abstract,
        "language_code": doc.language,
        GROUP_PAGE_FIELDS[body_group][0 if language == "id" else 1]: body,
        "identifiers": " ".join(
            v
            for value in (doc.katalog_bps, doc.nomor_publikasi, doc.issn, doc.isbn)
            for v in identifier_variants(value)
        ),
        "newest": doc.newest_key(),
    }
    for suffix in ("exact", language, "shingles"):
        values[f"{body_group}_{suffix}"] = body
    for group, by_language in indexed_texts(doc).items():
        for suffix in ("id", "en"):
            if by_language[suffix]:
                values[f"{group}_{suffix}"] = paged(by_language[suffix])
        every = sorted({part for parts in by_language.values() for part in parts})
        values[f"{group}_exact"] = values[f"{group}_shingles"] = paged(every)
    for name, value in doc.facet_values().items():
        if value:
            values[name] = value
    return values
