"""What the tests of visitors' scans share: a recording queue and mailer, a visit, a scan submitted."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from ingest.limits import Limits
from library.filestore import FileStore
from library.frontoffice.scans.copies import ScanWorker
from library.frontoffice.scans.uploads import ScanTaken, ScanUpload, check_submit_scan
from library.mail import Mailer
from library.models import Office, Publication, Role, User, Visit
from library.permissions import Actor
from library.uow import UnitOfWork
from tests.integration.library import terminal_helpers as fo
from tests.integration.library.outbox import Sent
from tests.integration.library.pdf_helpers import tiny_pdf

NOW = fo.NOW  # Monday 23 November 2026, 09:00 WIB
METRO = fo.METRO
SECRET = b"scan-test-secret-0123456789abcdef0123"
VERIFY = "https://pst.example.id/verifikasi"
MY_REQUESTS = "https://pst.example.id/permintaan/"
LIMITS = Limits(max_bytes=20 * 1024 * 1024, max_pages=50)
FONT = Path(__file__).resolve().parents[3] / "watermark" / "marks" / "fonts" / "DejaVuSansCondensed.ttf"


@dataclass
class RecordingQueue:
    """A job queue that remembers the scans, ingests and index updates it was asked for."""

    scans: list[int] = field(default_factory=list)
    ingested: list[int] = field(default_factory=list)
    indexed: list[int] = field(default_factory=list)

    def visitor_scan(self, scan_id: int) -> None:
        self.scans.append(scan_id)

    def ingest(self, job_id: int) -> None:
        self.ingested.append(job_id)

    def index(self, publication_id: int) -> None:
        self.indexed.append(publication_id)

    def deliver(self, request_id: int) -> None:
        """No softcopy requests here."""

    def alert_desk(self, request_id: int) -> None:
        """Nobody to tell here."""


def librarian(uow: UnitOfWork, email: str = "pustakawan@bps.go.id") -> User:
    """Store a librarian and return them, detached."""
    return fo.person(uow, email, [Role.LIBRARIAN])


def visit(
    uow: UnitOfWork, name: str = "Dewi Lestari", email: str = "dewi@example.id", *, account: bool = True, **kw
) -> tuple[int, str, int | None]:
    """Record today's walk-in visit with a library ticket; return its id, ticket code and account id."""
    user_id = fo.person(uow, email).id if account and email else None
    codes = fo.walk_in(uow, name, user_id=user_id, email=email, **kw)
    with uow:
        visit_id = uow.session.scalars(
            select(Visit.id).where(Visit.name == name).order_by(Visit.id.desc())
        ).first()
    assert visit_id is not None
    return visit_id, codes["library"], user_id


def submit(
    uow: UnitOfWork,
    store: FileStore,
    queue: RecordingQueue,
    actor: Actor | None,
    path: Path,
    now: dt.datetime = NOW,
    **upload: object,
) -> ScanTaken:
    """Submit a scan as the librarian's form does, and commit."""
    values: dict[str, object] = {"title": "Kota Metro Dalam Angka 2019, hlm. 10-12", **upload}
    with uow:
        taken = check_submit_scan(
            uow,
            store,
            queue,
            actor,
            ScanUpload(**values),  # type: ignore[arg-type]
            path,
            office_code=METRO,
            now=now,
            limits=LIMITS,
        )
        uow.commit()
    return taken


def scan_worker(uow: UnitOfWork, store: FileStore, sent: Sent, now: dt.datetime = NOW) -> ScanWorker:
    """Return a scan worker on the test's database, sending mail to `sent`."""
    return ScanWorker(
        session_factory=uow._session_factory,
        store=store,
        mailer=Mailer(sent, "pst@example.id"),
        secret=SECRET,
        verify_base_url=VERIFY,
        my_requests_link=MY_REQUESTS,
        limits=LIMITS,
        now=lambda: now,
        retry_pause=0,  # a passing fault is tried again at once
    )


def page_jpeg(path: Path, text: str, dpi: int = 100) -> Path:
    """Write a scanned page as a JPEG: A4 at `dpi`, one line of text."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    ImageDraw.Draw(image).text((dpi, dpi), text, fill=0, font=ImageFont.truetype(str(FONT), size=dpi // 5))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70, dpi=(dpi, dpi))
    path.write_bytes(buffer.getvalue())
    return path


def catalogued(uow: UnitOfWork, title: str = "Kota Metro Dalam Angka 2019") -> int:
    """Store a publication of Kota Metro with no file (a printed one) and return its id."""
    with uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == METRO))
        publication = Publication(
            key=title.lower().replace(" ", "-"), title=title, issuing_office_id=office_id
        )
        uow.session.add(publication)
        uow.commit()
        return publication.id


# -- fixtures of the visitor scan tests (bound by name in each test module) --------------------


@pytest.fixture
def queue() -> RecordingQueue:
    """Return a queue that records the scans it is asked to make."""
    return RecordingQueue()


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    """Write a 3-page scanned PDF and return its path."""
    path = tmp_path / "pindaian.pdf"
    path.write_bytes(tiny_pdf("Kota Metro Dalam Angka 2019", 3))
    return path


@pytest.fixture
def desk(uow: UnitOfWork) -> dict[str, object]:
    """Load the offices; store a librarian and today's visit of Dewi (with an account and email)."""
    fo.load_offices(uow)
    desk_librarian = librarian(uow)
    visit_id, code, user_id = visit(uow)
    return {"librarian": desk_librarian, "visit_id": visit_id, "code": code, "user_id": user_id}
