"""Online accounts: registration, email verification, signing in, and the profile.

Every use case takes what it needs explicitly: the unit of work, the acting person (or none,
before signing in), `AccountServices` (signing key, the queue of account emails, rate limits)
and `now`. Emails are queued on the unit of work: once the caller commits, a job sends them
(`mail_job`), so no request waits for the mail server.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from library.accounts.mail_job import AccountMailQueue, Notice, queue_account_mail
from library.accounts.passwords import check_password, hash_password, needs_rehash
from library.accounts.ratelimit import Throttle
from library.accounts.users import (
    MAX_PASSWORD_LENGTH,
    UserSummary,
    check_password_policy,
    check_text_field,
    clean_email,
    clean_name,
    clean_occupation,
    find_by_email,
    normalise_email,
)
from library.errors import InvalidField, InvalidInput, NotAllowed
from library.i18n import N_
from library.models import Role, User, UserRole
from library.permissions import Actor, require_signed_in
from library.tokens import VERIFY_EMAIL, Keys, LinkInvalid, read_token
from library.uow import UnitOfWork


class AccountInactive(NotAllowed):
    """The account was deactivated by an administrator."""


@dataclass(frozen=True)
class AccountServices:
    """What account use cases need besides the database."""

    secret: Keys  # the session key's ring: checks the links in emails, those signed before a rotation too
    queue: AccountMailQueue  # the emails leave from a job, after the response
    throttle: Throttle


@dataclass(frozen=True)
class Registration:
    """What a person fills in to register."""

    name: str
    email: str
    password: str
    institution: str
    occupation: str
    consent: bool


@dataclass(frozen=True)
class Registered:
    """The answer to a registration; the same whether or not the address already had an account."""

    email: str


@dataclass(frozen=True)
class VerifiedEmail:
    """The result of following a verification link."""

    email: str
    already: bool = False  # the address was verified before
    changed: bool = False  # the link moved the account to a new address


def clean_institution(institution: str) -> str:
    """Return the tidied institution, or refuse an empty or overlong one."""
    return check_text_field(institution, "institution", N_("Your institution is required."))


def check_register(
    uow: UnitOfWork, services: AccountServices, form: Registration, *, client: str, now: dt.datetime
) -> Registered:
    """Create a reader account and mail its verification link.

    An address that already has an account gets an email saying so instead, and the answer
    is the same, so the form never tells a stranger who is registered. A light account the
    guest book made for the address (no password) is not claimed here: its email carries the
    link that sets its first password, so only the mailbox's owner can claim it.
    """
    email = clean_email(form.email)
    name = clean_name(form.name)
    institution = clean_institution(form.institution)
    occupation = clean_occupation(form.occupation)
    check_password_policy(form.password, email)
    if not form.consent:
        raise InvalidField("consent", N_("You need to agree to the terms to register."))
    services.throttle.take(uow, "register", client=client, email=email, now=now)
    password_hash = hash_password(form.password)  # also for a known address: same time taken
    existing = find_by_email(uow, email)
    if existing is None:
        user = User(
            email=email,
            name=name,
            institution=institution,
            occupation=occupation,
            password_hash=password_hash,
            password_changed_at=now,
            consented_at=now,
            created_at=now,
            role_rows=[UserRole(role=Role.READER.value)],
        )
        uow.session.add(user)
        try:
            uow.session.flush()
        except IntegrityError:
            # Another registration of this address committed in between. (No SAVEPOINT
            # here: with SQLite's driver one would commit the whole transaction.)
            uow.rollback()
            existing = find_by_email(uow, email)
            if existing is None:
                raise  # some other constraint: a real error, not a race
        else:
            queue_verification(uow, services, user)
            return Registered(email)
    # An account exists (a light one from the guest book included): nothing of it changes here.
    # Its owner is mailed instead, and an account with no password yet gets the link that sets
    # one: only whoever reads the address's mail claims it.
    queue_account_mail(uow, services.queue, Notice.ALREADY_REGISTERED, existing.email, existing.id)
    return Registered(email)


def is_light_account(user: User) -> bool:
    """Tell whether an account is a light one from the guest book, still to be claimed through its mail."""
    return user.active and user.password_hash is None and not user.email_verified


def queue_verification(uow: UnitOfWork, services: AccountServices, user: User, to: str | None = None) -> str:
    """Queue the verification link for the person's address (or a new address `to`); return the address."""
    target = to or user.email
    queue_account_mail(uow, services.queue, Notice.VERIFY, target, user.id)
    return target


def check_verify_email(
    uow: UnitOfWork, services: AccountServices, token: str, *, now: dt.datetime
) -> VerifiedEmail:
    """Mark the address in a genuine, unexpired link as verified (moving the account to it if new)."""
    payload = read_token(services.secret, VERIFY_EMAIL, token, now)
    user_id, target, origin = payload.get("u"), payload.get("e"), payload.get("f")
    if not (isinstance(user_id, int) and isinstance(target, str) and isinstance(origin, str)):
        raise LinkInvalid()
    user = uow.session.get(User, user_id)
    if user is None or not user.active or user.email != origin:
        raise LinkInvalid()
    if target == user.email:
        if user.email_verified:
            return VerifiedEmail(target, already=True)
        user.mark_email_verified(now)
        return VerifiedEmail(target)
    if find_by_email(uow, target) is not None:
        raise InvalidInput(
            N_("The address %(email)s now belongs to another account; it cannot be used for yours."),
            email=target,
        )
    old_email, user.email = user.email, target
    user.mark_email_verified(now)
    uow.session.flush()
    queue_account_mail(uow, services.queue, Notice.EMAIL_CHANGED, old_email, user.id)
    return VerifiedEmail(target, changed=True)


def check_resend_verification(
    uow: UnitOfWork, services: AccountServices, actor: Actor | None, *, client: str, now: dt.datetime
) -> str:
    """Send the signed-in person a fresh verification link; return the address it goes to."""
    user = require_signed_in(uow, actor)
    if user.email_verified:
        raise InvalidInput(N_("Your email address is already verified."))
    services.throttle.take(uow, "verify-email", client=client, email=user.email, now=now)
    return queue_verification(uow, services, user)


@functools.cache
def _stand_in_hash() -> str:
    """Return a hash to check passwords against when there is no account (same time taken)."""
    return hash_password("there is no account with this address")


def check_sign_in(
    uow: UnitOfWork, throttle: Throttle, *, email: str, password: str, client: str, now: dt.datetime
) -> User:
    """Return the person whose email and password these are, and record the sign-in.

    Failed attempts count against the client address and the email; once either has used
    up its attempts, even the right password waits.
    """
    email = normalise_email(email)
    # Counted before the password is checked: attempts fired at once cannot all pass the limit.
    attempt = throttle.take(uow, "sign-in", client=client, email=email, now=now)
    user = find_by_email(uow, email) if email else None
    matches = False
    if len(password) <= MAX_PASSWORD_LENGTH:  # never spend a hash on a megabyte "password"
        if user is not None and user.password_hash:
            matches = check_password(user.password_hash, password)
        else:
            check_password(_stand_in_hash(), password)  # an unknown address takes as long
    if user is None or not matches:
        raise InvalidInput(N_("The email address or the password is not right."))  # it stays counted
    throttle.give_back(uow, attempt)
    if not user.active:
        raise AccountInactive(
            N_("This account has been deactivated. Please contact the PST staff if you need it again.")
        )
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    uow.session.flush()
    return user


def do_sign_out(uow: UnitOfWork, actor: Actor | None) -> None:
    """End every session of the person: a session or remember-me cookie kept from before no longer opens."""
    if not isinstance(actor, User):
        return  # nobody, or the system: no session to end
    user = uow.session.get(User, actor.id)
    if user is not None:
        user.session_version += 1  # part of the id both cookies carry (webapp.auth)
        uow.session.flush()


def get_profile(uow: UnitOfWork, actor: Actor | None) -> UserSummary:
    """Return the signed-in person's own details."""
    return UserSummary.of(require_signed_in(uow, actor))


def check_update_profile(
    uow: UnitOfWork, actor: Actor | None, *, name: str, institution: str, occupation: str
) -> UserSummary:
    """Change the signed-in person's name, institution and occupation."""
    user = require_signed_in(uow, actor)
    user.name = clean_name(name)
    user.institution = clean_institution(institution)
    user.occupation = clean_occupation(occupation)
    uow.session.flush()
    return UserSummary.of(user)
