"""Stand-ins for the mail of the library tests: a transport keeping every message, a survey mail queue."""

from __future__ import annotations

from dataclasses import dataclass, field

from library.mail import Message


@dataclass
class Sent:
    """A mail transport that keeps every message instead of sending it."""

    messages: list[Message] = field(default_factory=list)

    def send(self, mail: Message) -> None:
        """Keep the message."""
        self.messages.append(mail)


@dataclass
class SurveyMails:
    """A queue that records the tickets whose survey email was asked for."""

    tickets: list[int] = field(default_factory=list)

    def survey_mail(self, ticket_id: int) -> None:
        """Record the ticket whose visitor is to be emailed the survey."""
        self.tickets.append(ticket_id)
