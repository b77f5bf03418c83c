"""Who a walk-in visitor is, and how the office knows it: declared in the guest book, proven later.

Typing an address at the kiosk proves nothing, so the guest book joins a visit to no account:
the name and email stay as the visitor declared them. A visit is joined to the account with
its address only with proof:

- the account's password, given at a library terminal (`check_prove_by_password`);
- a one-time code sent to the visit's address and typed back (`check_send_visit_code`,
  `check_prove_by_code`): the account is made then if the address has none;
- a front-office member comparing the visitor's ID card with the entry, at the locker desk
  where the card is handed over (`check_confirm_id_card`).

An account whose address was never verified was made by someone who typed it, not by whoever
reads its mail: its password proves nothing, and a proof never joins it as it is. The proof
takes it back for the visitor first (`_reclaim`): its password and every session are cleared,
so the address's mailbox alone can give it a password again.

Until then a terminal session acts for the visit alone and sees nothing of any account. Staff
accounts are never joined: a staff member's powers never reach a kiosk or a terminal. What is
stamped for a visitor says how their name was checked (`stamped_name`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.exc import IntegrityError

from library.accounts.ratelimit import (
    SEND_CODE_DAY,
    TRY_CODE_DAY,
    TRY_CODE_TERMINAL,
    Taken,
    Throttle,
    TooManyAttempts,
)
from library.accounts.registration import check_sign_in
from library.accounts.users import clean_email, find_by_email
from library.errors import InvalidField, InvalidInput, NotAllowed
from library.i18n import N_
from library.models import IdentityCheck, Role, TerminalSession, User, UserRole, Visit
from library.permissions import Actor, require_lend_lockers
from library.uow import UnitOfWork

CODE_DIGITS = 6
CODE_VALID = dt.timedelta(minutes=15)
CODE_RESEND_AFTER = dt.timedelta(minutes=1)  # a second code only once the first had time to arrive
SEND_CODE = "visit-code-send"  # rate-limit actions: codes sent, and codes tried
TRY_CODE = "visit-code-try"

# What a stamp says after the visitor's name (stamps are in Indonesian, like every stamp).
STAMP_WORDS = {
    IdentityCheck.DECLARED: "identitas dinyatakan, belum diperiksa",
    IdentityCheck.PASSWORD: "diperiksa: kata sandi akun",
    IdentityCheck.EMAIL_CODE: "diperiksa: kode email",
    IdentityCheck.ID_CARD: "diperiksa: kartu identitas",
}
UNVERIFIED_PASSWORD = N_(
    "The account with this address has never had its email verified, so its password cannot show "
    "that you are its owner. Ask for a code by email instead, or show your ID card at the front office."
)
STAFF_NEVER = N_(
    "A staff account cannot be used through a visit: staff sign in on their own devices. "
    "You can go on reading here as a visitor."
)


class VisitCodeQueue(Protocol):
    """Where the code email is sent from (a job, after the commit)."""

    def visit_code_mail(self, visit_id: int) -> None:
        """Send the visit's current one-time code to its address."""


def stamped_name(name: str, check: str) -> str:
    """Return the name as a stamp or ledger writes it: with how it was checked."""
    return f"{name} ({STAMP_WORDS[IdentityCheck(check)]})"


def is_proven(visit: Visit) -> bool:
    """Tell whether the visitor proved who they are (a declared visit acts for nobody's account)."""
    return IdentityCheck(visit.identity_check) is not IdentityCheck.DECLARED


def visit_code(secret: bytes, visit: Visit) -> str:
    """Return the code the visit's last email carries (derived, never stored)."""
    digest = hmac.new(secret, f"visit-code:{visit.id}:{visit.email_code_salt}".encode(), hashlib.sha256)
    return f"{int.from_bytes(digest.digest()[:8], 'big') % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def check_send_visit_code(
    uow: UnitOfWork,
    queue: VisitCodeQueue,
    throttle: Throttle,
    visit: Visit,
    *,
    now: dt.datetime,
) -> str:
    """Send a new one-time code to the visit's address; return the address it goes to."""
    _check_open(visit)
    if not visit.email:
        raise InvalidInput(
            N_("Your guest book entry has no email address. Show your ID card at the front office instead.")
        )
    if visit.email_code_sent_at is not None and now - visit.email_code_sent_at < CODE_RESEND_AFTER:
        raise InvalidInput(
            N_("A code was sent a moment ago. Please check your email, including the spam folder.")
        )
    # Counted per visit and per address (a terminal's many visitors share its network address).
    throttle.take(uow, SEND_CODE, SEND_CODE_DAY, client=_source(visit), email=visit.email, now=now)
    visit.email_code_salt = secrets.token_hex(8)
    visit.email_code_sent_at = now
    uow.session.flush()
    visit_id = visit.id
    uow.after_commit(lambda: queue.visit_code_mail(visit_id))
    return visit.email


@dataclass(frozen=True)
class Joined:
    """The account a proof joined the visit to, and whether it was taken back from an unverified sign-up."""

    user: User | None
    reclaimed: bool = False  # an unverified account's password and sessions were cleared first


def check_prove_by_code(
    uow: UnitOfWork,
    secret: bytes,
    throttle: Throttle,
    visit: Visit,
    code: str,
    *,
    now: dt.datetime,
    session_id: int | None = None,
) -> Joined:
    """Join the visit to its address's account (made now if none) when the code typed is the one sent.

    The proof is good for the terminal session it was typed in (`session_id`) alone.
    """
    _check_open(visit)
    typed = "".join((code or "").split())
    if not typed.isdigit() or len(typed) != CODE_DIGITS:
        raise InvalidField("code", N_("Type the %(n)s digits of the code in the email."), n=CODE_DIGITS)
    if visit.email_code_sent_at is None or now - visit.email_code_sent_at >= CODE_VALID:
        raise InvalidField("code", N_("This code is no longer valid. Ask for a new one."))
    # Counted before the check: tries fired at once cannot all pass the limit. Per visit, per
    # address (however many visits name it) and per terminal, so more visits buy no more guesses.
    attempt = _take_try(uow, throttle, visit, session_id, now)
    if not hmac.compare_digest(typed, visit_code(secret, visit)):
        raise InvalidField("code", N_("The code is not right. Check the email and type it again."))
    throttle.give_back(uow, attempt)
    visit.email_code_salt, visit.email_code_sent_at = "", None  # used once
    joined = _account_for(uow, visit, now, verified=True)
    _join(visit, joined.user, IdentityCheck.EMAIL_CODE, now, session_id)
    return joined


def check_prove_by_password(
    uow: UnitOfWork,
    throttle: Throttle,
    visit: Visit,
    password: str,
    *,
    now: dt.datetime,
    session_id: int | None = None,
) -> User:
    """Join the visit to the account with its address when the password given is that account's.

    The proof is good for the terminal session it was typed in (`session_id`) alone.
    """
    _check_open(visit)
    if not visit.email:
        raise InvalidInput(
            N_("Your guest book entry has no email address. Show your ID card at the front office instead.")
        )
    user = check_sign_in(uow, throttle, email=visit.email, password=password, client=_source(visit), now=now)
    if not user.email_verified and not user.is_staff():
        # Whoever registered the address set this password without ever reading its mail.
        raise NotAllowed(UNVERIFIED_PASSWORD)
    _join(visit, user, IdentityCheck.PASSWORD, now, session_id)
    return user


def check_confirm_id_card(uow: UnitOfWork, actor: Actor | None, visit: Visit, now: dt.datetime) -> Joined:
    """Record that a front-office member saw the visitor's ID card match the entry; join the account.

    A visit with an address is joined to that address's account (a light one, made now, if it
    has none; an unverified one is taken back first); one without stays on its own, its name checked.
    The proof is good for the visitor's live terminal session, or else the next one they start.
    """
    staff = require_lend_lockers(uow, actor)
    _check_open(visit)
    joined = _account_for(uow, visit, now, verified=False) if visit.email else Joined(None)
    _join(visit, joined.user, IdentityCheck.ID_CARD, now)
    visit.identity_checked_by_id = staff.id
    return joined


def check_set_visit_email(uow: UnitOfWork, actor: Actor | None, visit: Visit, email: str) -> str:
    """Let the front office write the visitor's email on their entry (added, or corrected).

    The address is as the visitor says it, so any proof given for the visit's earlier one
    no longer holds: the visit goes back to declared, joined to no account.
    """
    require_lend_lockers(uow, actor)
    _check_open(visit)
    address = clean_email(email)
    if address != visit.email:
        visit.email = address
        visit.user_id = None
        visit.identity_check = IdentityCheck.DECLARED.value
        visit.identity_checked_at = visit.identity_checked_by_id = visit.proof_session_id = None
        visit.email_code_salt, visit.email_code_sent_at = "", None
    return address


def _take_try(
    uow: UnitOfWork, throttle: Throttle, visit: Visit, session_id: int | None, now: dt.datetime
) -> Taken:
    """Count one code tried against the visit, its address and the terminal it is typed at."""
    attempt = throttle.take(uow, TRY_CODE, TRY_CODE_DAY, client=_source(visit), email=visit.email, now=now)
    session = uow.session.get(TerminalSession, session_id) if session_id is not None else None
    if session is None:
        return attempt
    try:
        return attempt + throttle.take(
            uow, TRY_CODE_TERMINAL, client=f"terminal:{session.terminal_id}", now=now
        )
    except TooManyAttempts:
        throttle.give_back(uow, attempt)
        raise


def _source(visit: Visit) -> str:
    """Return what a visit's attempts count under besides the address: the visit itself."""
    return f"visit:{visit.id}"


def _check_open(visit: Visit) -> None:
    """Refuse to change the identity of a visit that has ended."""
    if visit.left_at is not None:
        raise NotAllowed(N_("This visit has ended. Please fill in the guest book again."))


def proof_holds(visit: Visit, session_id: int) -> bool:
    """Tell whether the visit's proof is good for this terminal session, giving it a waiting proof.

    A proof is good for one session only: after "Selesai", the idle end or another visitor, a
    session started again with the same ticket acts for nobody until the visitor proves anew.
    """
    if not is_proven(visit):
        return False
    if visit.proof_session_id is None:
        visit.proof_session_id = session_id  # an ID card seen at the desk: this session takes it
    return visit.proof_session_id == session_id


def _join(
    visit: Visit, user: User | None, check: IdentityCheck, now: dt.datetime, session_id: int | None = None
) -> None:
    """Join the visit to the account with the proof given; never a staff or deactivated account."""
    if user is not None and user.is_staff():
        raise NotAllowed(STAFF_NEVER)
    if user is not None and not user.active:
        raise NotAllowed(N_("The account with this address has been deactivated. Please ask the PST staff."))
    visit.user_id = user.id if user is not None else None
    visit.identity_check = check.value
    visit.identity_checked_at = now
    visit.proof_session_id = session_id


def _account_for(uow: UnitOfWork, visit: Visit, now: dt.datetime, *, verified: bool) -> Joined:
    """Return the account with the visit's address, or make a light one (no password) for it.

    An existing account whose address was never verified is taken back for the visitor first.
    """
    existing = find_by_email(uow, visit.email)
    if existing is not None:
        reclaimed = _reclaim(existing, visit)
        if verified and not existing.email_verified:
            existing.mark_email_verified(now)
        return Joined(existing, reclaimed)
    user = User(
        email=visit.email,
        name=visit.name,
        institution=visit.institution,
        occupation=visit.occupation,
        password_hash=None,  # a light account: the visitor sets a password if they want one
        created_at=now,
        role_rows=[UserRole(role=Role.READER.value)],
    )
    if verified:
        user.mark_email_verified(now)
    try:
        with uow.session.begin_nested():
            uow.session.add(user)
            uow.session.flush()
    except IntegrityError:
        # The address's account was made in between (another device, the same minute).
        existing = find_by_email(uow, visit.email)
        if existing is None:
            raise
        return Joined(existing, _reclaim(existing, visit))
    return Joined(user)


def _reclaim(user: User, visit: Visit) -> bool:
    """Take an account whose address was never verified back for the visitor proving it; tell if it changed.

    Its password was chosen by whoever typed the address at `/daftar` (perhaps not its owner),
    so it is cleared with every session and pending link, and the details become the visit's:
    only a link mailed to the address gives the account a password again. A staff account is
    left alone (`_join` refuses it).
    """
    if user.email_verified or user.is_staff() or not user.active:
        return False
    had_password = user.password_hash is not None
    user.password_hash, user.password_changed_at, user.consented_at = None, None, None
    user.session_version += 1  # every cookie and reset link made for the old password stops working
    user.name = visit.name or user.name
    user.institution, user.occupation = visit.institution, visit.occupation or user.occupation
    return had_password
