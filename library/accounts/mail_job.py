"""Account emails leave from a job, after the response: a request only says which one to send.

A form about an account (registering, a forgotten password, a new address, a new password)
queues one `account_mail` job once its transaction commits, naming the notice, an address and
the account. The job (interactive lane: the person waits for it, seconds at most) looks the
account up, signs the link, writes the message and hands it to the mail server. A request
therefore does the same work whatever the address: the forgotten-password form queues one job
for a stranger's address as for a reader's, and only the job finds out which it is. (Sending
inside the request made the answer for a known address 23 ms slower, enough to tell who has
an account.) A mail server that is down fails the job and the queue tries it again; the
person is never shown the failure.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from library.accounts import mail as account_mail
from library.accounts.mail import Links
from library.accounts.users import find_by_email
from library.mail import Mailer, Message
from library.models import User
from library.tokens import RESET_PASSWORD, VERIFY_EMAIL, fingerprint, make_token
from library.uow import UnitOfWork


class Notice(enum.StrEnum):
    """Which account email a job sends (the address it names is in brackets)."""

    VERIFY = "verify"  # the link that verifies [the account's address, or the new one it asked for]
    ALREADY_REGISTERED = "already-registered"  # to the owner of [an address someone tried to register]
    RESET_PASSWORD = "reset-password"  # the reset link, if [the address] has an active account
    PASSWORD_CHANGED = "password-changed"  # to the account's own address
    EMAIL_CHANGED = "email-changed"  # to [the address the account had before]


class AccountMailQueue(Protocol):
    """Where account use cases send the emails they ask for."""

    def account_mail(self, notice: str, address: str, user_id: int | None) -> None:
        """Send one account email from a job."""


def queue_account_mail(
    uow: UnitOfWork, queue: AccountMailQueue, notice: Notice, address: str, user_id: int | None = None
) -> None:
    """Queue an account email for when the unit of work commits (a rollback sends nothing)."""
    uow.after_commit(lambda: queue.account_mail(notice.value, address, user_id))


@dataclass(frozen=True)
class AccountPost:
    """What the account-mail job runs with."""

    session_factory: sessionmaker[Session]
    mailer: Mailer
    secret: bytes  # the app's secret key: signs the links
    links: Links
    timezone: str  # the office's: the emails' dates are its local time
    now: Callable[[], dt.datetime]


def send_account_mail(post: AccountPost, notice: str, address: str, user_id: int | None) -> bool:
    """Write and send one account email; return whether one left.

    Raise when the mail server cannot take it, so that the queue tries again.
    """
    with UnitOfWork(post.session_factory) as uow:
        message = compose(uow, post, Notice(notice), address, user_id, post.now())
    if message is None:
        return False
    post.mailer.send(message)
    return True


def compose(
    uow: UnitOfWork, post: AccountPost, notice: Notice, address: str, user_id: int | None, now: dt.datetime
) -> Message | None:
    """Return the email a notice asks for, or None when there is nobody to send it to."""
    if notice is Notice.RESET_PASSWORD:
        user = find_by_email(uow, address)
        if user is None or not user.active:
            return None  # a stranger's address: nobody is told anything
        return account_mail.reset_password(
            user.email, user.name, _reset_link(post, user, now), now + RESET_PASSWORD.max_age, post.timezone
        )
    user = uow.session.get(User, user_id) if user_id is not None else None
    if user is None:
        return None  # gone before its email left
    if notice is Notice.VERIFY:
        # 'f' (from) ties the link to the address the account has now: once it changes,
        # older links for other addresses stop working.
        token = make_token(post.secret, VERIFY_EMAIL, {"u": user.id, "e": address, "f": user.email}, now)
        return account_mail.verify_email(
            address,
            user.name,
            post.links.verify_email(token),
            now + VERIFY_EMAIL.max_age,
            post.timezone,
            new_address=address != user.email,
        )
    if notice is Notice.ALREADY_REGISTERED and user.password_hash is None and user.active:
        # A light account from the guest book: the link that sets its first password claims it.
        until = now + RESET_PASSWORD.max_age
        return account_mail.claim_account(
            user.email, user.name, _reset_link(post, user, now), until, post.timezone
        )
    if notice is Notice.ALREADY_REGISTERED:
        return account_mail.already_registered(user.email, user.name, post.links)
    if notice is Notice.PASSWORD_CHANGED:
        changed = user.password_changed_at or now
        return account_mail.password_changed(user.email, user.name, post.links, changed, post.timezone)
    since = user.email_verified_at or now  # EMAIL_CHANGED: the new address was verified then
    return account_mail.email_changed(address, user.name, user.email, since, post.timezone)


def _reset_link(post: AccountPost, user: User, now: dt.datetime) -> str:
    """Return a link that sets the account's password, until it changes (or the link expires)."""
    token = make_token(post.secret, RESET_PASSWORD, {"u": user.id, "p": reset_fingerprint(user)}, now)
    return post.links.reset_password(token)


def reset_fingerprint(user: User) -> str:
    """Return what a reset link must still match: the current password and session counter."""
    return fingerprint(user.id, user.password_hash, user.session_version)
