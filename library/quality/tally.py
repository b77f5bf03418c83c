"""The day's notes of who answered or declared what (digests only), and the stored form of doubts.

`SurveyTally` rows say that a key (a proven person, a declared name or phone, a browser) was
seen for an office's service on one office day, never what was answered: responses keep no
link to them, and rows of days gone are dropped as new answers come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from library.models import Doubt, SurveyTally
from library.uow import UnitOfWork


def forget_days_gone(uow: UnitOfWork, day: dt.date) -> None:
    """Drop the notes of days gone: the tally holds only the current days' (a person answered, never what)."""
    uow.session.execute(delete(SurveyTally).where(SurveyTally.day < day - dt.timedelta(days=1)))


def note_once(uow: UnitOfWork, office_id: int, service: str, day: dt.date, key: str) -> bool:
    """Note a key for the office's service on a day; tell whether this note is the first.

    One insert that the database keeps once (notes made at the same moment included).
    """
    insert = sqlite_insert if uow.session.get_bind().dialect.name == "sqlite" else postgresql_insert
    made = uow.session.scalar(
        insert(SurveyTally)
        .values(office_id=office_id, service=service, day=day, respondent=key[:64])
        .on_conflict_do_nothing()
        .returning(SurveyTally.respondent)
    )
    return made is not None


def doubt_codes(doubts: Sequence[Doubt]) -> str:
    """Return doubts as stored: their codes, each once, comma separated."""
    return ",".join(dict.fromkeys(Doubt(d).value for d in doubts))
