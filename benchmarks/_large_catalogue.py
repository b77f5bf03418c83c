"""A large catalogue for the serving benchmark: the search corpus's publications as database rows.

`pustaka serve` on the demo holds 40 publications; a province's library holds thousands. Here an
instance is filled with `build_corpus(pages)`'s publications (their offices, metadata and page
texts, no files: a search page reads none) straight into its database, then indexed by `pustaka
reindex` as an administrator would after moving a catalogue in.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import insert, select

from benchmarks._search_corpus import OFFICES, REGIONS, Corpus, build_corpus, publication_doc, raw_size
from library.db import make_engine
from library.models import AccessLevel, Office, PageText, Publication
from library.settings import Settings
from search.engine import PublicationDoc

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
                        published_at=now,  # written past Publication(): a row without it is a draft
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


# A catalogue too large to hold in memory (a million pages is about 1.5 GB of text): generated
# publication by publication and written as it is generated, across many offices.

RAW_MEAN_PAGES = 68.05  # the mean size of build_corpus's mix of releases, yearbooks and volumes
PROVINCES = (11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62)


@dataclass
class Catalogue:
    """What was seeded: its size, and the texts new searches are made of."""

    pages: int
    publications: int
    offices: int
    texts: list[str]


def offices(count: int) -> list[tuple[str, str]]:
    """Return `count` offices: the search corpus's own, then regencies numbered in each province."""
    found = list(OFFICES)
    taken = {code for code, _ in found}
    for number in range(1, 100):
        for province in PROVINCES:
            code = f"{province}{number:02d}"
            if len(found) >= count:
                return found
            if code not in taken:
                found.append((code, f"BPS Kabupaten {REGIONS[(province + number) % len(REGIONS)]} {code}"))
    return found


def generate(
    pages: int, publications: int, office_count: int, seed: int = 20240501
) -> Iterator[PublicationDoc]:
    """Yield publications of generated statistical pages, `pages` in all, about `publications` of them."""
    rng = random.Random(seed)
    scale = pages / publications / RAW_MEAN_PAGES
    chosen = offices(office_count)
    made = 0
    number = 0
    while made < pages:
        size = min(max(1, round(raw_size(rng) * scale)), pages - made)
        yield publication_doc(rng, f"{number:07d}", size, chosen)
        made += size
        number += 1


def seed_many(settings: Settings, pages: int, publications: int, office_count: int) -> Catalogue:
    """Write a generated catalogue into a migrated database as it is generated; return what it holds."""
    engine = make_engine(settings.sqlalchemy_url)
    now = dt.datetime.now(dt.UTC)
    catalogue = Catalogue(0, 0, 0, [])
    try:
        with engine.begin() as conn:
            known = dict(conn.execute(select(Office.code, Office.id)).all())
            for code, name in offices(office_count):
                if code not in known:
                    known[code] = conn.execute(
                        insert(Office).values(code=code, name=name).returning(Office.id)
                    ).scalar_one()
            catalogue.offices = len(known)
            page_rows: list[dict] = []
            for doc in generate(pages, publications, office_count):
                publication_id = conn.execute(
                    insert(Publication).values(_publication_row(doc, known, now)).returning(Publication.id)
                ).scalar_one()
                page_rows += (
                    {"publication_id": publication_id, "page_number": page.number, "text": page.text}
                    for page in doc.pages
                )
                if len(page_rows) >= ROWS_AT_ONCE:
                    conn.execute(insert(PageText), page_rows)
                    page_rows = []
                catalogue.pages += len(doc.pages)
                catalogue.publications += 1
                if len(catalogue.texts) < 800 and doc.pages:
                    catalogue.texts += [doc.title, doc.pages[0].text.splitlines()[0]]
            if page_rows:
                conn.execute(insert(PageText), page_rows)
    finally:
        engine.dispose()
    return catalogue


def _publication_row(doc: PublicationDoc, offices_by_code: dict[str, int], now: dt.datetime) -> dict:
    return {
        "key": doc.publication_id,
        "title": doc.title,
        "abstract": doc.abstract,
        "subject": doc.subject,
        "publication_type": doc.publication_type,
        "language": doc.language,
        "issuing_office_id": offices_by_code[doc.office_code],
        "katalog_bps": doc.katalog_bps,
        "nomor_publikasi": doc.nomor_publikasi,
        "issn": doc.issn,
        "access_level": ACCESS.get(doc.access_level, AccessLevel.OPEN.value),
        "actual_release": doc.release_date,
        "created_at": now,
        "updated_at": now,
        "published_at": now,  # written past Publication(): a row without it is a draft, never indexed
    }
