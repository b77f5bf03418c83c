"""Complaints on SQLite and PostgreSQL: filing, the steps and their history, who may do what, the emails."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, func, select

from library.accounts.ratelimit import Limit, SqlRateLimiter, Throttle, TooManyAttempts
from library.accounts.users import check_create_user
from library.db import make_session_factory
from library.errors import InvalidFields, InvalidInput, NotAllowed, NotFound
from library.mail import Mailer
from library.models import Complaint, ComplaintAction, ComplaintEvent, ComplaintStatus, Role
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.quality.complaints.mail import ComplaintMailPost, send_complaint_mail
from library.quality.complaints.read_models import (
    attachment_of,
    complaint_record,
    complaint_status,
    list_complaints,
)
from library.quality.complaints.records import (
    ComplaintDetails,
    ComplaintGuard,
    Upload,
    check_file_complaint,
    normal_code,
)
from library.quality.complaints.staff import check_answer, check_classify, check_close, check_start
from library.uow import UnitOfWork
from tests.integration.library.frontoffice_helpers import METRO, load_offices

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 WIB
GOOD = ComplaintDetails(
    name="Sari Dewi",
    email="sari@example.id",
    service="consultation",
    subject="Jawaban konsultasi terlambat",
    body="Pertanyaan saya belum dijawab setelah dua minggu menunggu.",
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@dataclass
class Queue:
    """The job queue, as a list of the complaint emails asked for."""

    events: list[int] = field(default_factory=list)

    def complaint_mail(self, event_id: int) -> None:
        self.events.append(event_id)


@pytest.fixture(autouse=True)
def offices(uow: UnitOfWork) -> None:
    load_offices(uow)


@pytest.fixture
def guard(engine: Engine) -> ComplaintGuard:
    limiter = SqlRateLimiter(make_session_factory(engine))
    return ComplaintGuard(Throttle(limiter, Limit(5, dt.timedelta(minutes=15))), "203.0.113.9")


def person(uow: UnitOfWork, email: str, roles=(Role.READER,), name: str = "Rina Petugas"):
    with uow:
        made = check_create_user(
            uow,
            SYSTEM,
            email=email,
            name=name,
            roles=roles,
            password="kopi tubruk pagi hari",
            email_verified=True,
            now=utcnow(),
        )
        uow.commit()
    return made


def filed(uow, store, guard, form=GOOD, uploads=(), actor=None, queue=None) -> str:
    with uow:
        code = check_file_complaint(
            uow, actor, form, uploads, store=store, office_code=METRO, now=NOW, guard=guard, mail=queue
        )
        uow.commit()
    return code


def step(uow: UnitOfWork, use_case, *args, **kwargs):
    with uow:
        result = use_case(uow, *args, **kwargs)
        uow.commit()
    return result


def test_a_complaint_goes_from_new_to_closed_with_an_append_only_history(uow, store, guard) -> None:
    rina = person(uow, "rina@example.id", roles=(Role.FRONT_OFFICE,))
    queue = Queue()
    code = filed(uow, store, guard, queue=queue)
    step(uow, check_classify, rina, code, "U3", "consultation", NOW)
    step(uow, check_start, rina, code, NOW + dt.timedelta(hours=1), queue)
    step(uow, check_answer, rina, code, "Mohon maaf, sudah kami jawab.", NOW + dt.timedelta(days=1), queue)
    step(uow, check_close, rina, code, NOW + dt.timedelta(days=2), queue)
    with uow:
        record = complaint_record(uow, rina, code)
        public = complaint_status(uow, code)
        ids = uow.session.scalars(select(ComplaintEvent.id).order_by(ComplaintEvent.id)).all()
    assert [e.action for e in record.events] == [
        ComplaintAction.FILED,
        ComplaintAction.CLASSIFIED,
        ComplaintAction.STARTED,
        ComplaintAction.ANSWERED,
        ComplaintAction.CLOSED,
    ]
    assert [e.status for e in record.events][-1] is ComplaintStatus.CLOSED
    assert [e.actor_name for e in record.events] == [
        "",
        "Rina Petugas",
        "Rina Petugas",
        "Rina Petugas",
        "Rina Petugas",
    ]
    assert all(e.actor_name == "" for e in public.events)
    assert public.answer == "Mohon maaf, sudah kami jawab." and public.answered_at == NOW + dt.timedelta(
        days=1
    )
    assert record.summary.element == "U3"
    # Every change of status asks for one email; classifying asks for none.
    assert queue.events == [ids[0], ids[2], ids[3], ids[4]]


def test_a_closed_complaint_takes_no_more_steps(uow, store, guard) -> None:
    rina = person(uow, "rina@example.id", roles=(Role.FRONT_OFFICE,))
    code = filed(uow, store, guard)
    step(uow, check_answer, rina, code, "Jawaban kami sudah dikirim.", NOW)
    with pytest.raises(InvalidInput):
        step(uow, check_start, rina, code, NOW)  # answered already
    step(uow, check_close, rina, code, NOW)
    for use_case, args in (
        (check_answer, ("Jawaban kedua yang terlambat.",)),
        (check_classify, ("U1", "library")),
    ):
        with pytest.raises(InvalidInput):
            step(uow, use_case, rina, code, *args, NOW)


def test_only_complaint_staff_take_steps_or_see_the_list(uow, store, guard) -> None:
    code = filed(uow, store, guard)
    for roles in ((Role.READER,), (Role.LIBRARIAN,), (Role.CONSULTANT,)):
        someone = person(uow, f"{roles[0].value}@example.id", roles=roles)
        with pytest.raises(NotAllowed):
            step(uow, check_start, someone, code, NOW)
        with pytest.raises(NotAllowed), uow:
            list_complaints(uow, someone, None, 1)
    with pytest.raises(NotAllowed):
        step(uow, check_start, SYSTEM, code, NOW)
    head = person(uow, "head@example.id", roles=(Role.OFFICE_HEAD,))
    step(uow, check_start, head, code, NOW)
    with uow:
        assert [c.code for c in list_complaints(uow, head, None, 1).items] == [code]


def test_staff_enter_a_box_complaint_but_nobody_else_may_claim_another_channel(uow, store, guard) -> None:
    reader = person(uow, "ani@example.id")
    box = ComplaintDetails(**{**vars(GOOD), "email": "", "source": "box"})
    with pytest.raises(NotAllowed):
        filed(uow, store, guard, form=box, actor=reader)
    rina = person(uow, "rina@example.id", roles=(Role.FRONT_OFFICE,))
    code = filed(uow, store, None, form=box, actor=rina)
    with uow:
        row = uow.session.scalar(select(Complaint).where(Complaint.code == code))
        assert row is not None and row.source == "box" and row.entered_by_id == rina.id and row.email == ""


def test_every_problem_is_reported_at_once_and_nothing_is_stored(uow, store, guard) -> None:
    bad = ComplaintDetails(name=" ", email="x", service="bakery", subject="", body="pendek")
    uploads = [Upload("a.exe", b"MZ"), Upload("b.png", PNG), Upload("c.png", PNG), Upload("d.png", PNG)]
    with pytest.raises(InvalidFields) as refused:
        filed(uow, store, guard, form=bad, uploads=uploads)
    fields = [problem.field for problem in refused.value.problems]  # type: ignore[attr-defined]
    assert fields == ["name", "email", "service", "subject", "body", "attachments", "attachments"]
    with uow:
        assert uow.session.scalar(select(func.count(Complaint.id))) == 0


def test_the_honeypot_and_the_limit_per_address_hold_back_a_flood(uow, store, guard) -> None:
    with pytest.raises(InvalidInput):
        filed(uow, store, guard, form=ComplaintDetails(**{**vars(GOOD), "honeypot": "x"}))
    for _ in range(4):  # the honeypot's attempt counted: four more make five
        filed(uow, store, guard)
    with pytest.raises(TooManyAttempts):
        filed(uow, store, guard)
    other = ComplaintGuard(guard.throttle, "198.51.100.7")
    assert filed(uow, store, other)  # another address is not held back


def test_attachments_are_kept_in_the_file_store_and_found_by_code(uow, store, guard) -> None:
    code = filed(uow, store, guard, uploads=[Upload("bukti.png", PNG)])
    with uow:
        found = attachment_of(uow, code, 1)
        with pytest.raises(NotFound):
            attachment_of(uow, code, 2)
    assert store.read_bytes(found.sha256) == PNG and found.media_type == "image/png"


def test_a_code_is_long_random_and_found_however_it_is_typed(uow, store, guard) -> None:
    codes = {filed(uow, store, ComplaintGuard(guard.throttle, f"10.0.0.{n}")) for n in range(3)}
    assert len(codes) == 3
    code = codes.pop()
    assert normal_code(code.lower().replace("-", " ")) == code
    assert normal_code("PGD-0000-1111-IIII") is None  # characters the codes never use
    with uow:
        assert complaint_status(uow, f" {code.lower()} ").summary.code == code
        with pytest.raises(NotFound):
            complaint_status(uow, "PGD-2222-3333-4444")


def test_the_email_job_tells_the_person_and_links_to_the_status_page(engine, uow, store, guard) -> None:
    queue = Queue()
    code = filed(uow, store, guard, queue=queue)
    sent: list = []
    post = ComplaintMailPost(
        session_factory=make_session_factory(engine),
        mailer=Mailer(
            type("Backend", (), {"send": lambda self, mail: sent.append(mail)})(), "pst@example.id"
        ),
        status_page=lambda c: f"https://pst.example.id/pengaduan/{c}",
        timezone="Asia/Jakarta",
    )
    assert send_complaint_mail(post, queue.events[0]) is True
    text = sent[0].get_content()
    assert sent[0]["To"] == "sari@example.id" and code in sent[0]["Subject"]
    assert f"https://pst.example.id/pengaduan/{code}" in text and "23 November 2026" in text
    assert GOOD.body not in text  # the complaint stays on the page
    assert send_complaint_mail(post, 10_000) is False
