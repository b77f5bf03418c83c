"""A stand-in mail transport for the library integration tests: it keeps every message sent."""

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
