"""What a publication's edit costs when PostgreSQL's search rows are written in its own transaction.

    python benchmarks/postgres_index_in_transaction.py              # 60-page publications
    python benchmarks/postgres_index_in_transaction.py --pages 400  # a large yearbook

On a migrated schema of its own, stores a publication of --pages pages of the search
benchmark's generated statistical Indonesian text, then saves the same kind of edit (its title)
--rounds times each way, in turns: with the session factory bound to PostgreSQL's index
(`index_in_transactions`: the edit re-analyses and rewrites the publication's rows before it
commits) and without (the edit queues an index job after the commit, as with Whoosh; the job's
own work is not counted). Prints the median and p95 of a save, and the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks._search_corpus import build_corpus  # noqa: E402
from library import migrate  # noqa: E402
from library.catalogue.editing import check_edit_publication, get_editable  # noqa: E402
from library.catalogue.indexing import index_in_transactions  # noqa: E402
from library.db import make_engine, make_session_factory  # noqa: E402
from library.job_queue import NoQueue  # noqa: E402
from library.models import Office, PageText, Publication, Role, User  # noqa: E402
from library.uow import UnitOfWork  # noqa: E402
from search.postgres import tables as postgres_tables  # noqa: E402
from tests.integration.library.accounts_helpers import stored_person  # noqa: E402

DEFAULT_URL = os.environ.get("PUSTAKA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TODAY = dt.date(2026, 11, 25)


def seed(uow: UnitOfWork, pages: int) -> tuple[int, User]:
    """Store an office, a librarian and one publication with the corpus's page texts; return its id."""
    doc = max(build_corpus(pages * 3).docs, key=lambda d: len(d.pages))
    texts = [page.text for page in doc.pages][:pages]
    while len(texts) < pages:
        texts += texts[: pages - len(texts)]
    librarian = stored_person(uow, "wulan@bps.go.id", [Role.LIBRARIAN], "Wulan", email_verified=True)
    with uow:
        publication = Publication(
            key="bench",
            title=doc.title,
            issuing_office=Office(code="1872", name="BPS Kota Metro"),
            language="id",
        )
        uow.session.add(publication)
        uow.session.flush()
        uow.session.add_all(
            PageText(publication_id=publication.id, page_number=n, text=t) for n, t in enumerate(texts, 1)
        )
        uow.commit()
        return publication.id, librarian


def save(uow: UnitOfWork, librarian: User, pid: int, title: str) -> float:
    """Save a new title as the edit page does; return the seconds it took."""
    started = time.perf_counter()
    with uow:
        editable = get_editable(uow, librarian, pid)
        fields = replace(editable.fields, title=title)
        check_edit_publication(
            uow, librarian, NoQueue(), pid, editable.version, fields, today=TODAY, now=dt.datetime.now(dt.UTC)
        )
        uow.commit()
    return time.perf_counter() - started


def main() -> None:
    """Measure both ways in turns and print the comparison."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    schema = f"bench_tx_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        engine = make_engine(f"{args.database_url}?options=-csearch_path%3D{schema}")
        migrate.upgrade(engine)
        after = UnitOfWork(make_session_factory(engine))
        bound_factory = make_session_factory(engine)
        index_in_transactions(bound_factory, postgres_tables, lambda: TODAY)
        inside = UnitOfWork(bound_factory)
        pid, librarian = seed(after, args.pages)
        save(inside, librarian, pid, "Pemanasan")  # the first write makes the rows and warms both paths
        times: dict[str, list[float]] = {"in the transaction": [], "after the commit": []}
        for n in range(args.rounds):
            times["in the transaction"].append(save(inside, librarian, pid, f"Statistik Daerah edisi {n}"))
            times["after the commit"].append(save(after, librarian, pid, f"Statistik Wilayah edisi {n}"))
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    print(f"A title saved on a {args.pages}-page publication, {args.rounds} times each way:")
    medians = {}
    for label, values in times.items():
        ordered = sorted(values)
        medians[label] = statistics.median(ordered)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"  {label:20} median {medians[label] * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")
    ratio = medians["in the transaction"] / medians["after the commit"]
    print(f"  ratio in/after: {ratio:.1f}x (the index job the other way does this work after the commit)")


if __name__ == "__main__":
    main()
