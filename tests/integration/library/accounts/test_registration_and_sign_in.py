"""Registration, verification and signing in, as use cases on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from library.accounts.passwords import check_password
from library.accounts.ratelimit import TooManyAttempts
from library.accounts.registration import (
    AccountInactive,
    AccountServices,
    Registration,
    check_register,
    check_resend_verification,
    check_sign_in,
    check_update_profile,
    check_verify_email,
    get_profile,
)
from library.errors import InvalidField, InvalidInput, NotAllowed
from library.models import RateLimitHit, Role, User
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.tokens import LinkExpired, LinkInvalid
from library.uow import UnitOfWork
from tests.integration.library.accounts.helpers import NOW, PASSWORD, RecordingBackend

FORM = Registration(
    name="Siti  Aminah",
    email="Siti@Example.ID",
    password=PASSWORD,
    institution="Universitas Lampung",
    occupation="student",
    consent=True,
)


def register(
    uow: UnitOfWork,
    services: AccountServices,
    form: Registration = FORM,
    client: str = "10.0.0.1",
    now: dt.datetime = NOW,
):
    with uow:
        result = check_register(uow, services, form, client=client, now=now)
        uow.commit()
    return result


def account(uow: UnitOfWork, email: str = "siti@example.id") -> User:
    with uow:
        user = uow.session.scalar(select(User).where(User.email == email))
        assert user is not None
        uow.session.expunge(user)
        return user


def test_registering_stores_an_unverified_reader_and_mails_a_link_after_commit(
    uow, services, mailbox: RecordingBackend
) -> None:
    result = register(uow, services)
    assert result.email == "siti@example.id"
    user = account(uow)
    assert (user.name, user.institution, user.occupation) == ("Siti Aminah", "Universitas Lampung", "student")
    assert user.roles == {Role.READER}
    assert not user.email_verified and user.email_verified_at is None
    assert user.consented_at == NOW and user.password_changed_at == NOW
    assert check_password(user.password_hash, PASSWORD)
    [mail] = mailbox.sent
    assert mail["To"] == "siti@example.id" and "https://pst.example/verify/" in mail.get_content()


def test_a_registration_rolled_back_leaves_no_account_and_sends_nothing(uow, services, mailbox) -> None:
    with uow:
        check_register(uow, services, FORM, client="10.0.0.1", now=NOW)
    with uow:
        assert uow.session.scalar(select(func.count(User.id))) == 0
    assert mailbox.sent == []


def test_a_mail_server_that_is_down_keeps_the_account_and_the_job_sends_later(
    uow, services, mailbox: RecordingBackend
) -> None:
    mailbox.down = True
    assert register(uow, services).email == "siti@example.id"
    assert account(uow).email == "siti@example.id" and mailbox.sent == []
    mailbox.down = False
    services.queue.retry()
    [mail] = mailbox.sent
    assert mail["To"] == "siti@example.id" and "https://pst.example/verify/" in mail.get_content()


def test_registering_a_known_address_mails_its_owner_and_changes_nothing(uow, services, mailbox) -> None:
    register(uow, services)
    again = register(
        uow,
        services,
        Registration(**{**FORM.__dict__, "name": "Orang Lain", "password": "lain sekali kata sandinya"}),
    )
    assert again.email == "siti@example.id" and len(mailbox.sent) == 2
    with uow:
        assert uow.session.scalar(select(func.count(User.id))) == 1
    user = account(uow)
    assert user.name == "Siti Aminah" and check_password(user.password_hash, PASSWORD)
    assert mailbox.sent[-1]["Subject"].startswith("Anda sudah memiliki akun Pustaka")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "siti"}, "email"),
        ({"name": " "}, "name"),
        ({"institution": ""}, "institution"),
        ({"occupation": "astronaut"}, "occupation"),
        ({"password": "pendek"}, "password"),
        ({"password": "siti@example.id"}, "password"),
        ({"consent": False}, "consent"),
    ],
)
def test_bad_registrations_are_refused_on_the_right_field(uow, services, change, field: str) -> None:
    with uow, pytest.raises(InvalidField) as caught:
        check_register(uow, services, Registration(**{**FORM.__dict__, **change}), client="10.0.0.1", now=NOW)
    assert caught.value.field == field


def test_refused_forms_do_not_count_against_the_limit(uow, services) -> None:
    for _ in range(12):
        with uow, pytest.raises(InvalidField):
            check_register(
                uow, services, Registration(**{**FORM.__dict__, "consent": False}), client="10.0.0.1", now=NOW
            )
    register(uow, services)


def test_the_verification_link_verifies_once_and_then_says_already(uow, services, mailbox) -> None:
    register(uow, services)
    token = mailbox.last_link("verify")
    with uow:
        first = check_verify_email(uow, services, token, now=NOW + dt.timedelta(hours=1))
        uow.commit()
    assert first.email == "siti@example.id" and not first.already
    user = account(uow)
    assert user.email_verified and user.email_verified_at == NOW + dt.timedelta(hours=1)
    with uow:
        assert check_verify_email(uow, services, token, now=NOW + dt.timedelta(hours=2)).already


def test_the_verification_link_expires_after_48_hours(uow, services, mailbox) -> None:
    register(uow, services)
    with uow, pytest.raises(LinkExpired):
        check_verify_email(
            uow, services, mailbox.last_link("verify"), now=NOW + dt.timedelta(hours=48, seconds=1)
        )


def test_a_link_for_a_deleted_or_deactivated_account_is_not_valid(uow, services, mailbox) -> None:
    register(uow, services)
    with uow:
        uow.session.scalar(select(User)).active = False  # type: ignore[union-attr]
        uow.commit()
    with uow, pytest.raises(LinkInvalid):
        check_verify_email(uow, services, mailbox.last_link("verify"), now=NOW)


def test_a_reader_can_ask_for_a_new_link_until_verified(uow, services, mailbox) -> None:
    register(uow, services)
    reader = account(uow)
    with uow:
        address = check_resend_verification(uow, services, reader, client="10.0.0.1", now=NOW)
        uow.commit()
    assert address == "siti@example.id" and len(mailbox.sent) == 2
    with uow:
        check_verify_email(uow, services, mailbox.last_link("verify"), now=NOW)
        uow.commit()
    verified = account(uow)
    with uow, pytest.raises(InvalidInput, match="already verified"):
        check_resend_verification(uow, services, verified, client="10.0.0.1", now=NOW)


def sign_in(uow, services, email="siti@example.id", password=PASSWORD, client="10.0.0.1", now=NOW):
    with uow:
        user = check_sign_in(uow, services.throttle, email=email, password=password, client=client, now=now)
        uow.commit()
        return user


def test_signing_in_records_the_time(uow, services) -> None:
    register(uow, services)
    user = sign_in(uow, services, email=" SITI@example.id ", now=NOW + dt.timedelta(minutes=3))
    assert user.email == "siti@example.id"
    assert account(uow).last_login_at == NOW + dt.timedelta(minutes=3)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("siti@example.id", "salah sekali ini"),
        ("siapa@example.id", PASSWORD),
        ("", PASSWORD),
        ("siti@example.id", "x" * 10_000),
    ],
)
def test_a_wrong_email_or_password_gets_one_message_and_counts(
    uow, services, engine, email, password
) -> None:
    register(uow, services)
    with uow, pytest.raises(InvalidInput, match="The email address or the password is not right."):
        check_sign_in(uow, services.throttle, email=email, password=password, client="10.0.0.1", now=NOW)
    with uow:
        # one registration (client and email) plus this failure (client, and email when given)
        assert uow.session.scalar(select(func.count(RateLimitHit.id))) == 2 + (2 if email else 1)


def test_after_ten_failures_the_right_password_waits_until_the_window_passes(uow, services) -> None:
    register(uow, services)
    for i in range(10):
        with uow, pytest.raises(InvalidInput):
            check_sign_in(
                uow,
                services.throttle,
                email="siti@example.id",
                password="salah sekali",
                client=f"10.0.1.{i}",
                now=NOW,
            )
    with uow, pytest.raises(TooManyAttempts) as caught:
        check_sign_in(
            uow,
            services.throttle,
            email="siti@example.id",
            password=PASSWORD,
            client="10.0.0.9",
            now=NOW + dt.timedelta(minutes=5),
        )
    assert caught.value.params == {"minutes": 10}
    assert (
        sign_in(uow, services, client="10.0.0.9", now=NOW + dt.timedelta(minutes=15, seconds=1)).email
        == "siti@example.id"
    )


def test_a_deactivated_account_is_refused_only_with_the_right_password(uow, services) -> None:
    register(uow, services)
    with uow:
        uow.session.scalar(select(User)).active = False  # type: ignore[union-attr]
        uow.commit()
    with uow, pytest.raises(AccountInactive, match="deactivated"):
        check_sign_in(
            uow, services.throttle, email="siti@example.id", password=PASSWORD, client="10.0.0.1", now=NOW
        )
    with uow, pytest.raises(InvalidInput):
        check_sign_in(
            uow,
            services.throttle,
            email="siti@example.id",
            password="salah sekali",
            client="10.0.0.1",
            now=NOW,
        )


def test_an_account_without_a_password_cannot_sign_in(uow, services) -> None:
    from library.accounts.users import check_create_user

    with uow:
        check_create_user(
            uow, SYSTEM, email="staf@bps.go.id", name="Staf", roles={Role.LIBRARIAN}, now=utcnow()
        )
        uow.commit()
    with uow, pytest.raises(InvalidInput):
        check_sign_in(
            uow, services.throttle, email="staf@bps.go.id", password=PASSWORD, client="10.0.0.1", now=NOW
        )


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_sign_in(uow, services, monkeypatch) -> None:
    register(uow, services)  # hashed with the tests' small parameters
    monkeypatch.setattr("library.accounts.passwords._N", 2**13)
    sign_in(uow, services)
    assert account(uow).password_hash.startswith("scrypt$8192$")  # type: ignore[union-attr]


def test_the_profile_can_be_read_and_changed_by_its_owner(uow, services) -> None:
    register(uow, services)
    reader = account(uow)
    with uow:
        changed = check_update_profile(
            uow, reader, name=" Siti A. ", institution="BPS Kota Metro", occupation="civil_servant"
        )
        uow.commit()
    assert (changed.name, changed.institution, changed.occupation) == (
        "Siti A.",
        "BPS Kota Metro",
        "civil_servant",
    )
    with uow:
        assert get_profile(uow, reader).institution == "BPS Kota Metro"
    with uow, pytest.raises(InvalidField, match="Choose an occupation"):
        check_update_profile(uow, reader, name="Siti", institution="BPS", occupation="")


def test_a_deactivated_reader_cannot_change_their_profile(uow, services) -> None:
    register(uow, services)
    reader = account(uow)
    with uow:
        uow.session.get(User, reader.id).active = False  # type: ignore[union-attr]
        uow.commit()
    with uow, pytest.raises(NotAllowed):
        get_profile(uow, reader)


def test_two_registrations_of_one_address_at_once_make_one_account(
    uow, services, mailbox, monkeypatch
) -> None:
    import library.accounts.registration as registration

    register(uow, services)
    real = registration.find_by_email
    looks = []

    def racing_find(u, e):  # the first look misses the account the other request just made
        looks.append(e)
        return None if len(looks) == 1 else real(u, e)

    monkeypatch.setattr(registration, "find_by_email", racing_find)
    assert register(uow, services, client="10.0.0.2").email == "siti@example.id"
    with uow:
        assert uow.session.scalar(select(func.count(User.id))) == 1
    assert mailbox.sent[-1]["Subject"].startswith("Anda sudah memiliki akun Pustaka")
