"""The SKM satisfaction survey: one-use invitations after a service, and anonymous responses.

An invitation belongs to one service event (a finished visit, a delivered softcopy, a closed
consultation) and carries the secret of its link. A response keeps no link back to its
invitation or to the person: only the office, the service, the channel, the day it was
given, the answers by element code and a comment, so the reports are anonymous to staff.
The invitation is marked answered in the same transaction that stores the response, so an
event has at most one.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow


class SurveyChannel(enum.StrEnum):
    """The service event a survey follows."""

    VISIT = "visit"  # a walk-in visit, finished
    SOFTCOPY = "softcopy"  # an online softcopy request, delivered
    CONSULTATION = "consultation"  # a consultation, closed


ELEMENT_CODES = tuple(f"U{n}" for n in range(1, 10))  # PermenPANRB 14/2017's nine elements


class SurveyInvitation(Base):
    """The one-use invitation to rate one service event."""

    __tablename__ = "survey_invitation"
    __table_args__ = (CheckConstraint(f"channel IN ({enum_values(SurveyChannel)})", name="channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    service: Mapped[str] = mapped_column(String(20))  # a ServiceKind
    channel: Mapped[str] = mapped_column(String(20))
    # What was rated, e.g. "visit:12" or "request:34": one invitation per event.
    event_key: Mapped[str] = mapped_column(String(40), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)  # the secret of the link
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    answered: Mapped[bool] = mapped_column(default=False)
    # A digest of the person the event was for, when the office proved who it was (a verified
    # address, an identity checked at the desk: `library.quality.respondents`); "" otherwise.
    # One answer per proven person, service and day counts; the rest are set aside by rule.
    respondent: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # Why the office may doubt the answer, known when the service ended (`Doubt` codes, comma
    # separated): the answer still counts, and the office head sees it flagged.
    doubts: Mapped[str] = mapped_column(String(120), default="", server_default="")


class SurveyResponse(Base):
    """One anonymous answer to the survey: no person, no event, only the day it was given."""

    __tablename__ = "survey_response"
    __table_args__ = (
        CheckConstraint(f"channel IN ({enum_values(SurveyChannel)})", name="channel"),
        Index("ix_survey_response_office_day", "office_id", "answered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    service: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    answered_on: Mapped[dt.date] = mapped_column(Date)  # the office's local day, never the time
    comment: Mapped[str] = mapped_column(Text, default="")
    # False: set aside (kept, not counted in the index; the report says how many and why).
    counted: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Who set it aside: "rule" (a proven person's second answer for the service that day),
    # "staff" (the office head, with a reason in its reviews); "" while it counts.
    aside_by: Mapped[str] = mapped_column(String(10), default="", server_default="")
    doubts: Mapped[str] = mapped_column(String(120), default="", server_default="")  # `Doubt` codes

    reviews: Mapped[list[SurveyReview]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SurveyReview.id"
    )

    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SurveyAnswer.element"
    )


class Doubt(enum.StrEnum):
    """Why the office may doubt that an answer is a real visitor's own: flagged, never dropped."""

    SAME_DECLARED = "same_declared"  # another visit that day declared the same name or phone
    SHORT_SESSION = "short_session"  # a terminal session of under a minute was the whole service
    ONE_DEVICE = "one_device"  # the third or later answer sent from one browser that day


class ReviewAction(enum.StrEnum):
    """What the office head did to an answer."""

    SET_ASIDE = "set_aside"
    RESTORE = "restore"


class SurveyReview(Base):
    """One decision of the office head on one answer: set aside or restored, by whom, when and why."""

    __tablename__ = "survey_review"
    __table_args__ = (CheckConstraint(f"action IN ({enum_values(ReviewAction)})", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_response.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    by_name: Mapped[str] = mapped_column(String(200), default="")  # kept when the account goes
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    response: Mapped[SurveyResponse] = relationship(back_populates="reviews")


class SurveyTally(Base):
    """Who has had an answer counted for a service on one office day (the current day's rows only).

    The row says a person answered, never what: responses keep no link to it. Rows of days
    gone are deleted as new ones come (`library.quality.survey`).
    """

    __tablename__ = "survey_tally"

    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), primary_key=True)
    service: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    respondent: Mapped[str] = mapped_column(String(64), primary_key=True)


class SurveyAnswer(Base):
    """The score (1-4) one response gave one element, stored by the element's code."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        UniqueConstraint("response_id", "element"),
        CheckConstraint("score BETWEEN 1 AND 4", name="score"),
        CheckConstraint("element IN (" + ", ".join(f"'{c}'" for c in ELEMENT_CODES) + ")", name="element"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_response.id", ondelete="CASCADE"), index=True)
    element: Mapped[str] = mapped_column(String(3))
    score: Mapped[int] = mapped_column(SmallInteger)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
