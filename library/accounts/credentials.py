"""Changing what proves who a person is: forgotten passwords, new passwords, a new email address.

A password reset link carries a fingerprint of the password hash and the session counter, so
it stops working once used (or once the password changes any other way). Every password
change raises the session counter, which signs the person out of every other session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from library.accounts.mail_job import Notice, queue_account_mail, reset_fingerprint
from library.accounts.passwords import check_password, hash_password
from library.accounts.registration import AccountServices, queue_verification
from library.accounts.users import (
    MAX_PASSWORD_LENGTH,
    check_password_policy,
    clean_email,
    find_by_email,
)
from library.errors import InvalidField
from library.i18n import N_
from library.models import User
from library.permissions import Actor, require_signed_in
from library.tokens import RESET_PASSWORD, SET_PASSWORD, LinkInvalid, read_token
from library.uow import UnitOfWork


@dataclass(frozen=True)
class ResetTarget:
    """The account a valid reset link is for."""

    user_id: int
    email: str
    name: str


def check_request_password_reset(
    uow: UnitOfWork, services: AccountServices, *, email: str, client: str, now: dt.datetime
) -> None:
    """Have a reset link mailed to the address if it has an active account.

    The request does the same whatever the address: it queues one job, and the job looks the
    address up. Neither the answer nor the time it takes tells who has an account.
    """
    email = clean_email(email)
    services.throttle.take(uow, "reset", client=client, email=email, now=now)
    queue_account_mail(uow, services.queue, Notice.RESET_PASSWORD, email)


def _reset_user(uow: UnitOfWork, services: AccountServices, token: str, now: dt.datetime) -> User:
    """Return the account of a genuine, unexpired, unused reset link (or first-password link)."""
    try:
        payload = read_token(services.secret, RESET_PASSWORD, token, now)
        first = False
    except LinkInvalid:  # not a reset link: perhaps one that sets the first password of a walk-in
        payload = read_token(services.secret, SET_PASSWORD, token, now)
        first = True
    user_id = payload.get("u")
    user = uow.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or payload.get("p") != reset_fingerprint(user):
        raise LinkInvalid()
    if first and user.password_hash is not None:
        raise LinkInvalid()
    return user


def check_reset_token(
    uow: UnitOfWork, services: AccountServices, token: str, *, now: dt.datetime
) -> ResetTarget:
    """Tell whom a reset link is for, without using it up."""
    user = _reset_user(uow, services, token, now)
    return ResetTarget(user.id, user.email, user.name)


def check_reset_password(
    uow: UnitOfWork, services: AccountServices, token: str, *, password: str, now: dt.datetime
) -> ResetTarget:
    """Set a new password through a reset link, which then stops working; sign out every session."""
    user = _reset_user(uow, services, token, now)
    check_password_policy(password, user.email)
    _set_password(uow, services, user, password, now)
    if not user.email_verified:
        user.mark_email_verified(now)  # following the link proved the mailbox is theirs
    uow.session.flush()
    return ResetTarget(user.id, user.email, user.name)


def check_change_password(
    uow: UnitOfWork,
    services: AccountServices,
    actor: Actor | None,
    *,
    current: str,
    new: str,
    client: str,
    now: dt.datetime,
) -> User:
    """Change the signed-in person's password after checking the current one.

    Other sessions are signed out; the caller signs this one in again with the returned person.
    """
    user = require_signed_in(uow, actor)
    _check_current_password(uow, services, user, current, client=client, now=now)
    check_password_policy(new, user.email, field="new_password")
    if new == current:
        raise InvalidField("new_password", N_("The new password must differ from the current one."))
    _set_password(uow, services, user, new, now)
    uow.session.flush()
    return user


def check_request_email_change(
    uow: UnitOfWork,
    services: AccountServices,
    actor: Actor | None,
    *,
    new_email: str,
    password: str,
    client: str,
    now: dt.datetime,
) -> str:
    """Mail a verification link to a new address and return it; the account moves there when it is opened."""
    user = require_signed_in(uow, actor)
    new_email = clean_email(new_email, field="new_email")
    if new_email == user.email:
        raise InvalidField("new_email", N_("That is already your email address."))
    _check_current_password(uow, services, user, password, client=client, now=now)
    services.throttle.take(uow, "change-email", client=client, email=new_email, now=now)
    taken = find_by_email(uow, new_email)
    if taken is not None:
        # Say nothing here about who owns the address; tell its owner instead.
        queue_account_mail(uow, services.queue, Notice.ALREADY_REGISTERED, taken.email, taken.id)
    else:
        queue_verification(uow, services, user, to=new_email)
    return new_email


def _check_current_password(
    uow: UnitOfWork, services: AccountServices, user: User, password: str, *, client: str, now: dt.datetime
) -> None:
    """Refuse a wrong current password, counting wrong guesses like failed sign-ins."""
    attempt = services.throttle.take(uow, "sign-in", client=client, email=user.email, now=now)
    if len(password) > MAX_PASSWORD_LENGTH or not check_password(user.password_hash, password):
        raise InvalidField("current_password", N_("Your current password is not right."))  # stays counted
    services.throttle.give_back(uow, attempt)


def _set_password(
    uow: UnitOfWork, services: AccountServices, user: User, password: str, now: dt.datetime
) -> None:
    """Store a new password, sign out every session and tell the person by email."""
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    user.session_version += 1
    queue_account_mail(uow, services.queue, Notice.PASSWORD_CHANGED, user.email, user.id)
