"""Benchmark the whole ingest of a born-digital publication: submit, job, index.

    python benchmarks/ingest.py [--pages 300] [--repeats 3]

Each run takes a fresh instance (SQLite, file store, Whoosh index) and times what a
librarian waits for: `check_submit` (guards, master stored, job queued), `run_ingest` (page
texts, cover, publication recorded) and the index update. The baselines, measured in the
same run on the same file: a plain file copy, and poppler's `pdftotext` of the whole file.
Target: a few seconds for 300 pages, index included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import median_time, publication  # noqa: E402


def ingest_once(source: Path) -> dict[str, float]:
    """Ingest the file into a fresh instance; return the seconds of each step."""
    import catalog_data
    from ingest.limits import Limits
    from library import migrate
    from library.catalogue.indexing import do_index_publications
    from library.catalogue.offices import sync_offices
    from library.db import make_engine, make_session_factory
    from library.filestore import FileStore
    from library.intake.ingest_job import IngestWorker, run_ingest
    from library.intake.submit import check_submit
    from library.job_queue import NoQueue
    from library.models import IngestChannel, IngestJob
    from library.models.base import utcnow
    from library.permissions import SYSTEM
    from library.uow import UnitOfWork
    from search.whoosh.engine import WhooshSearchEngine

    with tempfile.TemporaryDirectory(prefix="pustaka-bench-") as tmp:
        root = Path(tmp)
        engine = make_engine(f"sqlite:///{root / 'pustaka.sqlite3'}")
        migrate.upgrade(engine)
        factory = make_session_factory(engine)
        with UnitOfWork(factory) as uow:
            sync_offices(uow, catalog_data.load_offices())
            uow.commit()
        store, limits, queue = FileStore(root / "files"), Limits(), NoQueue()
        index = WhooshSearchEngine(root / "search")
        steps: dict[str, float] = {}
        start = time.perf_counter()
        with UnitOfWork(factory) as uow:
            job_id = check_submit(
                uow, store, queue, SYSTEM, source, channel=IngestChannel.CLI, limits=limits, now=utcnow()
            ).job_id
            uow.commit()
        steps["submit"] = time.perf_counter() - start
        start = time.perf_counter()
        worker = IngestWorker(
            session_factory=factory, store=store, queue=queue, limits=limits, office_code="1872", now=utcnow
        )
        run_ingest(worker, job_id)
        steps["job"] = time.perf_counter() - start
        start = time.perf_counter()
        with UnitOfWork(factory) as uow:
            publication_id = uow.session.get(IngestJob, job_id).publication_id
            do_index_publications(uow, index, [publication_id], dt.date.today())
        steps["index"] = time.perf_counter() - start
        steps["total"] = sum(steps.values())
        index.close()
        engine.dispose()
        return steps


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    source = publication(args.pages)
    size_mb = source.stat().st_size / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        copy = median_time(lambda: shutil.copyfile(source, Path(tmp) / "copy.pdf"), args.repeats)
    text = median_time(
        lambda: subprocess.run(["pdftotext", str(source), "-"], capture_output=True, check=True),
        args.repeats,
    )
    runs = [ingest_once(source) for _ in range(args.repeats)]
    runs.sort(key=lambda r: r["total"])
    median = runs[len(runs) // 2]
    print(f"Born-digital ingest of {args.pages} pages ({size_mb:.1f} MB), median of {args.repeats}:")
    for step in ("submit", "job", "index", "total"):
        print(f"  {step:<7} {median[step]:7.2f} s")
    print(f"  baseline: file copy {copy:.3f} s, pdftotext {text:.2f} s")
    print(
        f"  ratio: ingest / pdftotext = {median['total'] / text:.1f}x, "
        f"ingest / copy = {median['total'] / copy:.0f}x"
    )
    print(f"  per page: {1000 * median['total'] / args.pages:.1f} ms")


if __name__ == "__main__":
    main()
