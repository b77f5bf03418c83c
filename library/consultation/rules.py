"""What shapes consultations at an office, and how the emails link back to the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from library.mail import Mailer
from library.working_days import Calendar


@dataclass(frozen=True)
class ConsultationRules:
    """The office's settings for consultations: the answer target, the working-day calendar, reopening."""

    office_code: str = ""
    sla_working_days: int = 3
    reopen_days: int = 14  # a closed consultation may be reopened by its user for this many days
    calendar: Calendar = field(default_factory=Calendar)

    def answer_due(self, clear_at: dt.datetime) -> dt.datetime:
        """Return when the answer is due to a question clear and complete at this moment."""
        return self.calendar.add_working_days(clear_at, self.sla_working_days)


@dataclass(frozen=True)
class ConsultationPost:
    """How a use case tells the other side: the mailer and the links back to the pages."""

    mailer: Mailer
    user_page: Callable[[str], str]  # the user's page of a consultation, by number
    desk_page: Callable[[str], str]  # the consultant's page of a consultation, by number
    survey_page: Callable[[str], str]  # the SKM survey, by invitation secret
    # Queues telling an asker's phone their consultation was answered (by its id), where the office
    # tells phones; None: it does not.
    answered_news: Callable[[int], None] | None = None
    # Alerts the consultants of a new consultation (by number), from a job; None: nobody is alerted.
    new_consultation: Callable[[str], None] | None = None
    # Sends the queued messages of a consultation asked outside the web (by id), from a job.
    outside_news: Callable[[int], None] | None = None
