"""Softcopy requests on SQLite and PostgreSQL: the copy job, its retries and the download rules."""

from __future__ import annotations

import datetime as dt

import pymupdf
import pytest
from sqlalchemy import func, select

from library.errors import NotFound
from library.models import AccessLevel, Delivery, RequestStatus, Role, SoftcopyRequest
from library.models.delivery import SAME_DOWNLOAD
from library.softcopy.copies import prepare_copy, requeue_unprepared
from library.softcopy.downloads import DownloadsSpent, LinkExpired, check_download
from library.softcopy.read_models import list_waiting
from tests.integration.library import softcopy_request_helpers as helpers
from tests.integration.library.softcopy_request_helpers import NOW, Queue, person, status, submit

LEASE = dt.timedelta(minutes=2)

# The shared fixtures: the demo publications, the copy worker and its outbox.
pubs, worker = helpers.pubs, helpers.worker  # the outbox: conftest


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
    for n in range(3):  # each a download of its own: past SAME_DOWNLOAD after the one before
        with uow:
            grants.append(check_download(uow, owner, number, NOW + SAME_DOWNLOAD * n))
            uow.commit()
    assert len({g.sha256 for g in grants}) == 1 and [g.remaining for g in grants] == [2, 1, 0]
    with uow:  # the last one asked for again at once (its send failed): the same download
        assert check_download(uow, owner, number, NOW + SAME_DOWNLOAD * 2).remaining == 0
        uow.commit()
    with uow, pytest.raises(DownloadsSpent):
        check_download(uow, owner, number, NOW + SAME_DOWNLOAD * 3)


def test_a_link_expires_after_seven_days(uow, pubs, worker) -> None:
    queue = Queue()
    owner = person(uow, "ani@example.id")
    number = submit(uow, owner, pubs[AccessLevel.OPEN], queue)
    prepare_copy(worker, queue.delivered[0])
    with uow:
        check_download(uow, owner, number, NOW + dt.timedelta(days=6, hours=23))
    with uow, pytest.raises(LinkExpired):
        check_download(uow, owner, number, NOW + dt.timedelta(days=7))


def test_an_approved_request_whose_job_was_lost_is_found_again(uow, pubs) -> None:
    queue = Queue()
    submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    with uow:
        assert requeue_unprepared(uow, NOW, LEASE) == []
        assert requeue_unprepared(uow, NOW + dt.timedelta(minutes=5), LEASE) == queue.delivered


def test_a_copy_claimed_by_a_process_that_ended_is_taken_over_at_once(uow, pubs, worker) -> None:
    import subprocess

    from library.lease_holders import Holder, _start_ticks, this_process
    from library.softcopy.copies import _claim

    queue = Queue()
    submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    request_id = queue.delivered[0]
    assert _claim(worker, request_id, NOW) == 1  # held by this (live) process: left alone
    with uow:
        assert requeue_unprepared(uow, NOW, LEASE) == []
    # Then a job process claims it and is killed (the claim names it, as _claim does).
    job = subprocess.Popen(["sleep", "60"])
    me = this_process()
    holder = Holder(me.host, job.pid, _start_ticks(job.pid) or 0, me.space)
    job.kill()
    job.wait()
    with uow:
        row = uow.session.get_one(SoftcopyRequest, request_id)
        row.copy_claimed_by, row.copy_claimed_at = str(holder), NOW
        uow.commit()
        assert requeue_unprepared(uow, NOW, LEASE) == [request_id]  # at once, not after the lease
        uow.commit()
    assert prepare_copy(worker, request_id)  # the claim is free: this worker makes the copy


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

    from library.ledger.copy_jobs import RETRIES

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

    from library.ledger.copy_jobs import MAX_ATTEMPTS
    from library.softcopy.copies import _claim

    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], queue)
    for attempt in range(MAX_ATTEMPTS):
        assert _claim(worker, queue.delivered[0], NOW + attempt * 2 * worker.lease) == attempt + 1
    late = replace(worker, now=lambda: NOW + 10 * worker.lease)
    assert prepare_copy(late, queue.delivered[0]) is None
    assert status(uow, number) is RequestStatus.FAILED
