"""Softcopy requests on SQLite and PostgreSQL: policy, quotas, the copy job and the download rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pymupdf
import pytest
from sqlalchemy import func, select

import catalog_data
from library.errors import InvalidField, InvalidInput, NotAllowed, NotFound
from library.filestore import FileStore
from library.mail import Mailer, Message
from library.models import AccessLevel, Delivery, Publication, RequestStatus, Role, SoftcopyRequest
from library.people.users import check_create_user
from library.permissions import SYSTEM
from library.softcopy.copies import (
    CopyWorker,
    DownloadsSpent,
    LinkExpired,
    check_download,
    prepare_copy,
    requeue_unprepared,
)
from library.softcopy.decisions import check_approve, check_refuse, release_embargoed
from library.softcopy.read_models import list_my_requests, list_waiting, request_view
from library.softcopy.requests import RequestForm, RequestRules, check_submit_request
from library.uow import UnitOfWork
from tests.integration.library.ingest_fixtures import load_demo_records
from tests.integration.library.pdf_helpers import tiny_pdf

NOW = dt.datetime(2026, 11, 16, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 WIB
SECRET = b"test-secret-0123456789abcdef0123456789"


@dataclass
class Queue:
    delivered: list[int] = field(default_factory=list)

    def ingest(self, job_id: int) -> None: ...

    def index(self, publication_id: int) -> None: ...

    def deliver(self, request_id: int) -> None:
        self.delivered.append(request_id)

    def alert_desk(self, request_id: int) -> None:
        """Nobody to tell here."""


@dataclass
class Sent:
    messages: list[Message] = field(default_factory=list)

    def send(self, mail) -> None:
        self.messages.append(mail)


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
def worker(uow: UnitOfWork, store: FileStore, sent: Sent) -> CopyWorker:
    return CopyWorker(
        session_factory=uow._session_factory,
        store=store,
        mailer=Mailer(sent, "pst@example.id"),
        secret=SECRET,
        verify_base_url="https://pst.example.id/verifikasi",
        request_link=lambda n: f"https://pst.example.id/permintaan/{n}",
        now=lambda: NOW,
    )


@pytest.fixture
def pubs(uow: UnitOfWork, store: FileStore) -> dict[AccessLevel, int]:
    """Load one demo record of each access level, each with a 4-page stand-in PDF."""
    records = catalog_data.load_demo_catalogue()
    picked = [next(r for r in records if r.access_level == level.value) for level in AccessLevel]
    with uow:
        load_demo_records(uow, store, picked, lambda r: tiny_pdf(r.title, 4))
        rows = uow.session.execute(select(Publication.access_level, Publication.id)).all()
    return {AccessLevel(level): pid for level, pid in rows}


def person(uow: UnitOfWork, email: str, *, verified: bool = True, roles=(Role.READER,)):
    with uow:
        made = check_create_user(
            uow,
            SYSTEM,
            email=email,
            name="Ani Suryani",
            roles=roles,
            password="kopi tubruk pagi hari",
            email_verified=verified,
        )
        uow.commit()
    return made


def submit(
    uow: UnitOfWork,
    actor,
    pub: int,
    queue: Queue,
    rules: RequestRules | None = None,
    now: dt.datetime = NOW,
    **changes,
) -> str:
    form = RequestForm(
        **{
            "publication_id": pub,
            "purpose": "thesis",
            "intended_use": "Untuk skripsi tentang migrasi.",
            "agreed": True,
            **changes,
        }
    )
    with uow:
        number = check_submit_request(uow, actor, form, rules or RequestRules(), queue, now, "198.51.100.7")
        uow.commit()
    return number


def status(uow: UnitOfWork, number: str) -> RequestStatus:
    with uow:
        return RequestStatus(
            uow.session.scalar(select(SoftcopyRequest.status).where(SoftcopyRequest.number == number))
        )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (AccessLevel.OPEN, RequestStatus.APPROVED),
        (AccessLevel.REGISTERED, RequestStatus.APPROVED),
        (AccessLevel.RESTRICTED, RequestStatus.REVIEW),
        (AccessLevel.EMBARGOED, RequestStatus.EMBARGO),
    ],
)
def test_the_access_level_decides_where_a_request_starts(uow, pubs, level, expected) -> None:
    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[level], queue)
    assert status(uow, number) is expected
    assert bool(queue.delivered) is (expected is RequestStatus.APPROVED)


def test_a_request_needs_a_verified_email(uow, pubs) -> None:
    queue = Queue()
    with pytest.raises(NotAllowed):
        submit(uow, person(uow, "ani@example.id", verified=False), pubs[AccessLevel.OPEN], queue)
    with uow:
        assert uow.session.scalar(select(func.count(SoftcopyRequest.id))) == 0
    assert queue.delivered == []


def test_the_answer_is_due_three_working_days_after_the_request(uow, pubs) -> None:
    friday = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)  # 15:30 WIB
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.RESTRICTED], Queue(), now=friday)
    with uow:
        view = request_view(uow, _user(uow), number)
    assert view.due_at == dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)


def _user(uow: UnitOfWork):
    from library.models import User

    return uow.session.scalar(select(User).where(User.email == "ani@example.id"))


def test_the_daily_quota_is_enforced_with_a_clear_message(uow, pubs) -> None:
    actor = person(uow, "ani@example.id")
    rules = RequestRules(daily_quota=2)
    submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules, scope="pages", pages="1")
    submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules, scope="pages", pages="2")
    with pytest.raises(InvalidInput, match="2 requests today"):
        submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules, scope="pages", pages="3")
    tomorrow = NOW + dt.timedelta(days=1)
    submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules, now=tomorrow, scope="pages", pages="3")


def test_the_monthly_quota_is_enforced(uow, pubs) -> None:
    actor = person(uow, "ani@example.id")
    rules = RequestRules(monthly_quota=1)
    submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules)
    with pytest.raises(InvalidInput, match="this month"):
        submit(uow, actor, pubs[AccessLevel.RESTRICTED], Queue(), rules, now=NOW + dt.timedelta(days=2))


def test_asking_twice_for_the_same_thing_points_to_the_first_request(uow, pubs) -> None:
    actor = person(uow, "ani@example.id")
    first = submit(uow, actor, pubs[AccessLevel.RESTRICTED], Queue())
    with pytest.raises(InvalidInput, match=first):
        submit(uow, actor, pubs[AccessLevel.RESTRICTED], Queue())


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"purpose": "fun"}, "purpose"),
        ({"intended_use": "short"}, "intended_use"),
        ({"agreed": False}, "agreed"),
        ({"scope": "pages", "pages": "3-9"}, "pages"),
        ({"scope": "chapters"}, "scope"),
    ],
)
def test_a_wrong_form_names_its_field_and_records_nothing(uow, pubs, changes, field_name) -> None:
    with pytest.raises(InvalidField) as refused:
        submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], Queue(), **changes)
    assert refused.value.field == field_name
    with uow:
        assert uow.session.scalar(select(func.count(SoftcopyRequest.id))) == 0


def test_the_copy_job_stamps_records_and_announces_the_copy(uow, pubs, worker, sent) -> None:
    queue = Queue()
    actor = person(uow, "ani@example.id")
    number = submit(uow, actor, pubs[AccessLevel.OPEN], queue, scope="pages", pages="2-3")
    delivery_id = prepare_copy(worker, queue.delivered[0])
    assert delivery_id and status(uow, number) is RequestStatus.READY
    with uow:
        row = uow.session.scalar(select(Delivery))
        assert (row.delivery_id, row.request_number, row.pages) == (delivery_id, number, 2)
        path = worker.store.path_for(row.output_sha256)
    with pymupdf.open(path) as pdf:
        assert pdf.page_count == 2
        assert all("Ani Suryani" in p.get_text() for p in pdf)
    assert [m["Subject"] for m in sent.messages] == [
        f"Softcopy siap diunduh ({number}) · Your softcopy is ready ({number})"
    ]


def test_a_second_run_of_the_copy_job_adds_nothing(uow, pubs, worker, sent) -> None:
    queue = Queue()
    submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    assert prepare_copy(worker, queue.delivered[0])
    assert prepare_copy(worker, queue.delivered[0]) is None
    with uow:
        assert uow.session.scalar(select(func.count(Delivery.id))) == 1
    assert len(sent.messages) == 1


def test_a_copy_that_cannot_be_made_fails_for_a_librarian_to_retry(uow, pubs, worker, store) -> None:
    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    with uow:
        from library.models import FileAsset

        for asset in uow.session.scalars(select(FileAsset)):
            store.path_for(asset.sha256).unlink(missing_ok=True)
    assert prepare_copy(worker, queue.delivered[0]) is None
    assert status(uow, number) is RequestStatus.FAILED
    librarian = person(uow, "pustakawan@example.id", roles=(Role.LIBRARIAN,))
    with uow:
        failing, _ = list_waiting(uow, librarian)
    assert [v.number for v in failing] == [number] and failing[0].failure_reason


def test_downloads_are_for_the_owner_until_the_cap(uow, pubs, worker) -> None:
    queue = Queue()
    owner, other = person(uow, "ani@example.id"), person(uow, "budi@example.id")
    number = submit(uow, owner, pubs[AccessLevel.OPEN], queue)
    prepare_copy(worker, queue.delivered[0])
    with uow, pytest.raises(NotFound):
        check_download(uow, other, number, NOW)
    grants = []
    for _ in range(3):
        with uow:
            grants.append(check_download(uow, owner, number, NOW))
            uow.commit()
    assert len({g.sha256 for g in grants}) == 1 and [g.remaining for g in grants] == [2, 1, 0]
    with uow, pytest.raises(DownloadsSpent):
        check_download(uow, owner, number, NOW)


def test_a_link_expires_after_seven_days(uow, pubs, worker) -> None:
    queue = Queue()
    owner = person(uow, "ani@example.id")
    number = submit(uow, owner, pubs[AccessLevel.OPEN], queue)
    prepare_copy(worker, queue.delivered[0])
    with uow:
        check_download(uow, owner, number, NOW + dt.timedelta(days=6, hours=23))
    with uow, pytest.raises(LinkExpired):
        check_download(uow, owner, number, NOW + dt.timedelta(days=7))


def test_a_librarian_approves_and_only_a_librarian(uow, pubs) -> None:
    queue = Queue()
    reader = person(uow, "ani@example.id")
    librarian = person(uow, "pustakawan@example.id", roles=(Role.LIBRARIAN,))
    number = submit(uow, reader, pubs[AccessLevel.RESTRICTED], queue)
    with uow, pytest.raises(NotAllowed):
        check_approve(uow, reader, number, queue, NOW)
    with uow:
        check_approve(uow, librarian, number, queue, NOW, "Untuk skripsi, disetujui.")
        uow.commit()
    assert status(uow, number) is RequestStatus.APPROVED and len(queue.delivered) == 1
    with uow:
        events = request_view(uow, librarian, number).events
    assert [e.status for e in events] == [RequestStatus.REVIEW, RequestStatus.APPROVED]
    assert events[-1].note == "Untuk skripsi, disetujui." and events[-1].actor_name


def test_a_refusal_needs_a_reason_and_emails_it(uow, pubs, sent) -> None:
    reader = person(uow, "ani@example.id")
    librarian = person(uow, "pustakawan@example.id", roles=(Role.LIBRARIAN,))
    number = submit(uow, reader, pubs[AccessLevel.RESTRICTED], Queue())
    mailer = Mailer(sent, "pst@example.id")
    with uow, pytest.raises(InvalidField):
        check_refuse(uow, librarian, number, "no", mailer, str, NOW)
    with uow:
        check_refuse(uow, librarian, number, "Data masih dalam verifikasi.", mailer, str, NOW)
        uow.commit()
    assert status(uow, number) is RequestStatus.REFUSED
    assert "Data masih dalam verifikasi." in sent.messages[0].get_content()


def test_an_embargoed_request_is_released_on_its_date(uow, pubs) -> None:
    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.EMBARGOED], queue)
    with uow:
        until = uow.session.scalar(
            select(Publication.embargo_until).where(Publication.id == pubs[AccessLevel.EMBARGOED])
        )
        assert release_embargoed(uow, queue, until - dt.timedelta(days=1), NOW) == []
        assert release_embargoed(uow, queue, until, NOW) == [number]
        uow.commit()
    assert status(uow, number) is RequestStatus.APPROVED and len(queue.delivered) == 1


def test_an_approved_request_whose_job_was_lost_is_found_again(uow, pubs) -> None:
    queue = Queue()
    submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    with uow:
        assert requeue_unprepared(uow, NOW) == []
        assert requeue_unprepared(uow, NOW + dt.timedelta(minutes=5)) == queue.delivered


def test_my_requests_lists_only_mine(uow, pubs) -> None:
    ani, budi = person(uow, "ani@example.id"), person(uow, "budi@example.id")
    mine = submit(uow, ani, pubs[AccessLevel.OPEN], Queue())
    submit(uow, budi, pubs[AccessLevel.OPEN], Queue())
    with uow:
        assert [v.number for v in list_my_requests(uow, ani)] == [mine]


def test_a_copy_claimed_by_a_live_worker_is_not_made_twice(uow, pubs, worker) -> None:
    from dataclasses import replace

    from library.softcopy.copies import _claim

    queue = Queue()
    submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    assert _claim(worker, queue.delivered[0], NOW) == 1
    assert prepare_copy(worker, queue.delivered[0]) is None  # the first worker still holds it
    later = replace(worker, now=lambda: NOW + worker.lease + dt.timedelta(seconds=1))
    assert prepare_copy(later, queue.delivered[0])  # its lease ran out: taken over


def test_a_lasting_unexpected_error_fails_the_request(uow, pubs, worker, monkeypatch) -> None:
    from dataclasses import replace

    from library.softcopy.copies import RETRIES

    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr("library.softcopy.copies.deliver_copy", broken)
    assert prepare_copy(replace(worker, retry_pause=0), queue.delivered[0]) is None
    assert len(calls) == 1 + RETRIES
    assert status(uow, number) is RequestStatus.FAILED
    with uow:
        row = uow.session.scalar(select(SoftcopyRequest))
        assert row.failure_reason == "disk full" and row.events[-1].note == ""


def test_a_passing_fault_is_tried_again_and_the_copy_is_made(uow, pubs, worker, sent, monkeypatch) -> None:
    from dataclasses import replace

    from library.softcopy import copies

    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # as a module still being imported by another thread was
            raise AttributeError("partially initialized module 'pymupdf' has no attribute 'open'")
        return deliver_copy(*args, **kwargs)

    deliver_copy = copies.deliver_copy
    monkeypatch.setattr("library.softcopy.copies.deliver_copy", flaky)
    assert prepare_copy(replace(worker, retry_pause=0), queue.delivered[0])
    assert len(calls) == 2 and status(uow, number) is RequestStatus.READY
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(Delivery)) == 1
    assert len(sent.messages) == 1


def test_trying_again_renews_the_claim(uow, pubs, worker, monkeypatch) -> None:
    from dataclasses import replace

    from library.softcopy import copies

    queue = Queue()
    submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    moment = [NOW]
    patient = replace(worker, retry_pause=0, now=lambda: moment[0])
    taken_by_another: list[int | None] = []

    def slow_then_fine(*args, **kwargs):
        if not taken_by_another and len(moment) == 1:
            moment[0] = NOW + worker.lease + dt.timedelta(seconds=1)  # the first try outlived the lease
            moment.append(moment[0])
            raise OSError("a passing fault")
        taken_by_another.append(copies._claim(worker, queue.delivered[0], moment[0]))
        return deliver_copy(*args, **kwargs)

    deliver_copy = copies.deliver_copy
    monkeypatch.setattr(copies, "deliver_copy", slow_then_fine)
    assert prepare_copy(patient, queue.delivered[0])
    assert taken_by_another == [None]  # the claim was renewed before the second try


def test_a_copy_of_a_damaged_file_fails_at_once_without_trying_again(uow, pubs, worker, monkeypatch) -> None:
    from library.softcopy import copies
    from watermark.errors import WatermarkError

    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    calls = []

    def damaged(*args, **kwargs):
        calls.append(1)
        raise WatermarkError("The PDF is damaged.", code="damaged")

    monkeypatch.setattr(copies, "deliver_copy", damaged)
    assert prepare_copy(worker, queue.delivered[0]) is None
    assert len(calls) == 1 and status(uow, number) is RequestStatus.FAILED


def test_a_request_whose_copy_keeps_failing_stops_after_three_attempts(uow, pubs, worker) -> None:
    from dataclasses import replace

    from library.softcopy.copies import MAX_ATTEMPTS, _claim

    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    for attempt in range(MAX_ATTEMPTS):
        assert _claim(worker, queue.delivered[0], NOW + attempt * 2 * worker.lease) == attempt + 1
    late = replace(worker, now=lambda: NOW + 10 * worker.lease)
    assert prepare_copy(late, queue.delivered[0]) is None
    assert status(uow, number) is RequestStatus.FAILED


def test_a_refused_request_cannot_then_be_approved(uow, pubs, sent) -> None:
    queue = Queue()
    reader = person(uow, "ani@example.id")
    librarian = person(uow, "pustakawan@example.id", roles=(Role.LIBRARIAN,))
    number = submit(uow, reader, pubs[AccessLevel.RESTRICTED], queue)
    with uow:
        check_refuse(
            uow, librarian, number, "Data masih dalam verifikasi.", Mailer(sent, "pst@x.id"), str, NOW
        )
        uow.commit()
    with uow, pytest.raises(InvalidInput, match="not waiting"):
        check_approve(uow, librarian, number, queue, NOW)
    assert queue.delivered == [] and status(uow, number) is RequestStatus.REFUSED


def test_control_characters_are_taken_out_of_free_text(uow, pubs) -> None:
    number = submit(
        uow,
        person(uow, "ani@example.id"),
        pubs[AccessLevel.RESTRICTED],
        Queue(),
        intended_use="Untuk\x00 skripsi\r\nsaya.",
        tables="Tabel 3.1\x07",
    )
    with uow:
        row = uow.session.scalar(select(SoftcopyRequest).where(SoftcopyRequest.number == number))
        assert (row.intended_use, row.tables_wanted) == ("Untuk skripsi\nsaya.", "Tabel 3.1")
