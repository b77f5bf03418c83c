"""The month's complaints, from the seed: filed on the form or entered from the box, then handled.

Each complaint goes through the use cases at its own moments: filed (the web form with its
guard, or staff entering one from the box, an email or WhatsApp), classified by SKM element
(most), taken up, answered after a while (some past the target of five working days, some
not yet by the time the report is read) and closed. What happened is kept in plain values
for `expected`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from flask import Flask

from library.models import ComplaintStatus, User
from library.quality.complaints.records import ComplaintDetails, check_file_complaint
from library.quality.complaints.staff import check_answer, check_classify, check_close, check_start

SOURCES = ("web", "web", "box", "email", "whatsapp")
SERVICES = ("library", "consultation", "softcopy", "other")


@dataclass
class Filed:
    """One complaint: when it came, its element, when it was answered and its status now."""

    received: dt.datetime
    element: str | None
    answered: dt.datetime | None
    status: ComplaintStatus


def file_complaints(
    app: Flask, rng: random.Random, staff: User, days: list[dt.date], at, now: dt.datetime, office: str
) -> list[Filed]:
    """File and handle the complaints of the days; return what became of each."""
    filed: list[Filed] = []
    for number, day in enumerate(days):
        if rng.random() < 0.45:
            filed.append(
                _one(
                    app,
                    rng,
                    staff,
                    at(day, rng.choice((0, 9, 13, 23)), rng.randrange(60)),
                    now,
                    office,
                    number,
                )
            )
    return filed


def _one(
    app: Flask,
    rng: random.Random,
    staff: User,
    received: dt.datetime,
    now: dt.datetime,
    office: str,
    number: int,
) -> Filed:
    """File one complaint and take it as far as the seed says, never past the moment the report is read."""
    state = app.extensions["pustaka"]
    source = rng.choice(SOURCES)
    form = ComplaintDetails(
        name=f"Pengadu {number}",
        email=f"pengadu{number}@example.id" if source == "web" else "",
        service=rng.choice(SERVICES),
        subject="Pelayanan kurang memuaskan",
        body="Saya ingin menyampaikan keluhan tentang pelayanan di PST kemarin.",
        source=source,
    )
    with state.uow() as uow:
        code = check_file_complaint(
            uow,
            None if source == "web" else staff,
            form,
            (),
            store=state.store,
            office_code=office,
            now=received,
            guard=state.complaint_guard(f"10.16.0.{number}") if source == "web" else None,
        )
        uow.commit()
    element = rng.choice([f"U{n}" for n in range(1, 10)]) if rng.random() < 0.8 else None
    moment = received + dt.timedelta(minutes=30)
    status, answered = ComplaintStatus.NEW, None
    steps = []
    if element:
        steps.append((check_classify, (element, form.service)))
    started = rng.random() < 0.85
    if started:
        steps.append((check_start, ()))
    for use_case, args in steps:
        with state.uow() as uow:
            use_case(uow, staff, code, *args, moment)
            uow.commit()
    if started:
        status = ComplaintStatus.IN_PROGRESS
    later = moment + dt.timedelta(hours=rng.choice((2, 20, 50, 120, 200, 400)))
    if started and later <= now and rng.random() < 0.9:
        with state.uow() as uow:
            check_answer(uow, staff, code, "Terima kasih; kami perbaiki.", later)
            uow.commit()
        status, answered = ComplaintStatus.ANSWERED, later
        closing = later + dt.timedelta(hours=rng.choice((1, 48)))
        if closing <= now and rng.random() < 0.6:
            with state.uow() as uow:
                check_close(uow, staff, code, closing)
                uow.commit()
            status = ComplaintStatus.CLOSED
    return Filed(received, element, answered, status)
