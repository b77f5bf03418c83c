"""A large catalogue for the serving benchmark: the search corpus's publications as database rows.

`pustaka serve` on the demo holds 40 publications; a province's library holds thousands. Here an
instance is filled with `build_corpus(pages)`'s publications (their offices, metadata and page
texts, no files: a search page reads none) straight into its database, then indexed by `pustaka
reindex` as an administrator would after moving a catalogue in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import insert, select

from benchmarks._search_corpus import OFFICES, Corpus, build_corpus
from library.db import make_engine
from library.models import AccessLevel, Office, PageText, Publication
from library.settings import Settings

ACCESS = {"terbuka": AccessLevel.OPEN.value, "terbatas": AccessLevel.RESTRICTED.value}
ROWS_AT_ONCE = 5_000


def seed(settings: Settings, pages: int) -> Corpus:
    """Add the corpus's offices, publications and page texts to a migrated database; return the corpus."""
    corpus = build_corpus(pages)
    engine = make_engine(settings.sqlalchemy_url)
    now = dt.datetime.now(dt.UTC)
    try:
        with engine.begin() as conn:
            known = dict(conn.execute(select(Office.code, Office.id)).all())
            for code, name in OFFICES:
                if code not in known:
                    known[code] = conn.execute(
                        insert(Office).values(code=code, name=name).returning(Office.id)
                    ).scalar_one()
            for doc in corpus.docs:
                publication_id = conn.execute(
                    insert(Publication)
                    .values(
                        key=doc.publication_id,
                        title=doc.title,
                        abstract=doc.abstract,
                        subject=doc.subject,
                        publication_type=doc.publication_type,
                        language=doc.language,
                        issuing_office_id=known[doc.office_code],
                        katalog_bps=doc.katalog_bps,
                        nomor_publikasi=doc.nomor_publikasi,
                        issn=doc.issn,
                        access_level=ACCESS.get(doc.access_level, AccessLevel.OPEN.value),
                        actual_release=doc.release_date,
                        created_at=now,
                        updated_at=now,
                    )
                    .returning(Publication.id)
                ).scalar_one()
                for rows in _chunks(
                    {"publication_id": publication_id, "page_number": page.number, "text": page.text}
                    for page in doc.pages
                ):
                    conn.execute(insert(PageText), rows)
    finally:
        engine.dispose()
    return corpus


def _chunks(rows: Iterator[dict]) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= ROWS_AT_ONCE:
            yield batch
            batch = []
    if batch:
        yield batch


def searched_texts(corpus: Corpus) -> list[str]:
    """Return the texts whose words the benchmark's new searches are made of: titles, tables' titles."""
    texts = [doc.title for doc in corpus.docs[:400]]
    return texts + [doc.pages[0].text.splitlines()[0] for doc in corpus.docs[:400] if doc.pages]
