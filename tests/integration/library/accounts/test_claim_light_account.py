"""A light account from a walk-in visit is claimed only through its mailbox, never by `/daftar`.

A light account (no password, address not verified) is made when the front office checks a
walk-in's ID card and the visit's address has no account yet. Registering its address changes
nothing: the address is mailed the link that sets the account's first password.
"""

from __future__ import annotations

from sqlalchemy import func, select

from library.accounts.credentials import check_request_password_reset, check_reset_password
from library.accounts.mail_job import reset_fingerprint
from library.accounts.passwords import check_password
from library.accounts.registration import Registration, check_register, is_light_account
from library.frontoffice.identity import check_confirm_id_card
from library.models import Role, User, Visit
from library.tokens import SET_PASSWORD, make_token
from library.uow import UnitOfWork
from tests.integration.library.accounts.helpers import KEY, NOW, PASSWORD, RecordingBackend
from tests.integration.library.accounts_helpers import detached
from tests.integration.library.frontoffice_helpers import entry, load_offices, make_guard, sign
from tests.integration.library.terminal_helpers import person

OWN_PASSWORD = "teh manis sore hari"  # the visitor's own, chosen through the mailed link
FORM = Registration(
    name="Siti Aminah Putri",
    email="siti@example.id",
    password=PASSWORD,
    institution="BPS Provinsi Lampung",
    occupation="civil_servant",
    consent=True,
)


def light_account(uow: UnitOfWork, engine) -> int:
    """Sign the guest book with an email, have the ID card checked, and return the light account made."""
    load_offices(uow)
    token = sign(uow, make_guard(engine), entry(email="siti@example.id"))
    front = person(uow, "loket@bps.go.id", (Role.FRONT_OFFICE,))
    with uow:
        visit = uow.session.scalars(select(Visit).where(Visit.status_token == token)).one()
        check_confirm_id_card(uow, front, visit, NOW)
        uow.commit()
        user_id = visit.user_id
        assert user_id is not None
        return user_id


def register(uow: UnitOfWork, services, form: Registration = FORM):
    with uow:
        result = check_register(uow, services, form, client="10.0.0.1", now=NOW)
        uow.commit()
    return result


def test_registering_a_light_accounts_address_changes_nothing_and_mails_its_owner_the_claim_link(
    uow, engine, services, mailbox
) -> None:
    user_id = light_account(uow, engine)
    before = detached(uow, user_id)
    result = register(uow, services)
    user = detached(uow, user_id)
    assert result.email == "siti@example.id"
    assert (user.name, user.password_hash, user.session_version) == (
        "Siti Aminah",
        None,
        before.session_version,
    )
    assert is_light_account(user)
    with uow:
        assert uow.session.scalar(select(func.count(User.id)).where(User.email == "siti@example.id")) == 1
    [mail] = mailbox.sent
    assert mail["To"] == "siti@example.id" and "buat kata sandinya" in mail["Subject"]
    assert "https://pst.example/reset/" in mail.get_content()


def test_the_claim_link_gives_the_mailbox_owner_the_account_with_its_visits(
    uow, engine, services, mailbox
) -> None:
    user_id = light_account(uow, engine)
    register(uow, services)
    with uow:
        check_reset_password(
            uow, services, mailbox.last_link("reset"), password="teh manis sore hari", now=NOW
        )
        uow.commit()
    user = detached(uow, user_id)
    assert (
        user.email_verified
        and user.password_hash
        and check_password(user.password_hash, "teh manis sore hari")
    )
    assert not check_password(user.password_hash, PASSWORD)  # the registering stranger's password is no key
    with uow:
        assert uow.session.scalar(select(func.count(Visit.id)).where(Visit.user_id == user_id)) == 1


def test_the_visitors_own_set_password_link_still_works_after_a_stranger_registered_the_address(
    uow, engine, services, mailbox
) -> None:
    user_id = light_account(uow, engine)
    # The link a walk-in's copy email carries, made before the stranger came.
    fingerprint = reset_fingerprint(detached(uow, user_id))
    link = make_token(KEY, SET_PASSWORD, {"u": user_id, "p": fingerprint}, NOW)
    register(uow, services)
    with uow:
        check_reset_password(uow, services, link, password=OWN_PASSWORD, now=NOW)
        uow.commit()
    assert detached(uow, user_id).email_verified


def test_an_account_with_a_password_is_not_claimed_but_told_it_exists(
    uow, engine, services, mailbox: RecordingBackend
) -> None:
    user_id = light_account(uow, engine)
    register(uow, services)
    with uow:
        check_reset_password(uow, services, mailbox.last_link("reset"), password=PASSWORD, now=NOW)
        uow.commit()
    first_hash = detached(uow, user_id).password_hash
    register(
        uow,
        services,
        Registration(**{**FORM.__dict__, "name": "Someone Else", "password": "another long one"}),
    )
    user = detached(uow, user_id)
    assert user.name == "Siti Aminah" and user.password_hash == first_hash
    assert "sudah memiliki akun" in mailbox.sent[-1]["Subject"]


def test_a_verified_account_without_a_password_is_not_claimed(uow, engine, services, mailbox) -> None:
    user_id = light_account(uow, engine)
    with uow:
        user = uow.session.get(User, user_id)
        assert user is not None
        user.mark_email_verified(NOW)
        uow.commit()
    register(uow, services)
    user = detached(uow, user_id)
    assert user.password_hash is None and user.name == "Siti Aminah"
    assert "buat kata sandinya" in mailbox.sent[-1]["Subject"]  # its owner may still want a password


def test_a_light_account_can_also_be_claimed_through_a_password_reset(uow, engine, services, mailbox) -> None:
    user_id = light_account(uow, engine)
    with uow:
        check_request_password_reset(uow, services, email="siti@example.id", client="10.0.0.1", now=NOW)
        uow.commit()
    with uow:
        check_reset_password(uow, services, mailbox.last_link("reset"), password=PASSWORD, now=NOW)
        uow.commit()
    user = detached(uow, user_id)
    assert user.email_verified and user.password_hash and check_password(user.password_hash, PASSWORD)
