"""Registering with the address of a light account from a walk-in visit claims it.

A light account (no password, address not verified) is made when the front office checks a
walk-in's ID card and the visit's address has no account yet.
"""

from __future__ import annotations

from sqlalchemy import func, select

from library.frontoffice import check_confirm_id_card
from library.models import Role, User, Visit
from library.people.accounts import Registration, check_register, check_verify_email, is_light_account
from library.people.credentials import check_request_password_reset, check_reset_password
from library.people.passwords import check_password
from library.uow import UnitOfWork
from tests.integration.library.accounts.helpers import NOW, PASSWORD, RecordingBackend
from tests.integration.library.frontoffice_helpers import entry, load_offices, make_guard, sign
from tests.integration.library.people_helpers import detached
from tests.integration.library.terminal_helpers import person

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


def test_registering_claims_the_light_account_with_the_forms_details(uow, engine, services, mailbox) -> None:
    user_id = light_account(uow, engine)
    assert is_light_account(detached(uow, user_id))
    result = register(uow, services)
    user = detached(uow, user_id)
    assert result.email == "siti@example.id"
    assert (user.name, user.institution, user.occupation) == (
        "Siti Aminah Putri",
        "BPS Provinsi Lampung",
        "civil_servant",
    )
    assert user.password_hash and check_password(user.password_hash, PASSWORD)
    assert user.password_changed_at == NOW and user.consented_at == NOW
    assert not user.email_verified and not is_light_account(user)
    with uow:
        # No second account: the light one was claimed (beside it only the front office's).
        assert uow.session.scalar(select(func.count(User.id)).where(User.email == "siti@example.id")) == 1
    [mail] = mailbox.sent
    assert mail["To"] == "siti@example.id"
    assert (
        "Verifikasi alamat email" in mail["Subject"] and "https://pst.example/verify/" in mail.get_content()
    )


def test_the_claimed_account_is_verified_by_its_link_and_keeps_its_visits(
    uow, engine, services, mailbox
) -> None:
    user_id = light_account(uow, engine)
    register(uow, services)
    with uow:
        check_verify_email(uow, services, mailbox.last_link("verify"), now=NOW)
        uow.commit()
    assert detached(uow, user_id).email_verified
    with uow:
        assert uow.session.scalar(select(func.count(Visit.id)).where(Visit.user_id == user_id)) == 1


def test_an_account_with_a_password_is_not_claimed_but_told_it_exists(
    uow, engine, services, mailbox: RecordingBackend
) -> None:
    user_id = light_account(uow, engine)
    register(uow, services)
    first_hash = detached(uow, user_id).password_hash
    register(
        uow,
        services,
        Registration(**{**FORM.__dict__, "name": "Someone Else", "password": "another long one"}),
    )
    user = detached(uow, user_id)
    assert user.name == "Siti Aminah Putri" and user.password_hash == first_hash
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
    assert "sudah memiliki akun" in mailbox.sent[-1]["Subject"]


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
