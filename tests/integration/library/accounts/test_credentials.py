"""Forgotten passwords, new passwords and new addresses, as use cases on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.accounts.credentials import (
    check_change_password,
    check_request_email_change,
    check_request_password_reset,
    check_reset_password,
    check_reset_token,
)
from library.accounts.passwords import check_password
from library.accounts.registration import check_sign_in, check_verify_email
from library.errors import InvalidField, InvalidInput
from library.models import User
from library.tokens import LinkExpired, LinkInvalid
from library.uow import UnitOfWork
from tests.integration.library.accounts.helpers import NOW, PASSWORD
from tests.integration.library.accounts_helpers import detached, stored_person

NEW = "teh manis hangat sore"


def person(uow: UnitOfWork, email: str = "rina@example.id", verified: bool = True) -> User:
    """Store Rina, a reader with a password, as of NOW."""
    return stored_person(uow, email, name="Rina", password=PASSWORD, email_verified=verified, now=NOW)


def ask_reset(uow, services, email="rina@example.id", now=NOW) -> None:
    with uow:
        check_request_password_reset(uow, services, email=email, client="10.0.0.1", now=now)
        uow.commit()


def test_a_reset_link_sets_the_password_and_signs_out_every_session(uow, services, mailbox) -> None:
    rina = person(uow, verified=False)
    ask_reset(uow, services, email=" RINA@example.id")
    assert mailbox.sent[-1]["To"] == "rina@example.id"
    token = mailbox.last_link("reset")
    with uow:
        assert check_reset_token(uow, services, token, now=NOW).email == "rina@example.id"
        check_reset_password(uow, services, token, password=NEW, now=NOW + dt.timedelta(minutes=5))
        uow.commit()
    after = detached(uow, rina.id)
    assert check_password(after.password_hash, NEW)
    assert after.session_version == rina.session_version + 1
    assert after.password_changed_at == NOW + dt.timedelta(minutes=5)
    assert after.email_verified  # the link proved the mailbox is hers
    assert mailbox.sent[-1]["Subject"].startswith("Kata sandi Pustaka Anda telah diubah")


def test_a_reset_link_stops_working_once_used(uow, services, mailbox) -> None:
    person(uow)
    ask_reset(uow, services)
    token = mailbox.last_link("reset")
    with uow:
        check_reset_password(uow, services, token, password=NEW, now=NOW)
        uow.commit()
    with uow, pytest.raises(LinkInvalid):
        check_reset_token(uow, services, token, now=NOW)
    with uow, pytest.raises(LinkInvalid):
        check_reset_password(uow, services, token, password="lagi dan lagi sekali", now=NOW)


def test_a_reset_link_stops_working_when_the_password_changes_otherwise(uow, services, mailbox) -> None:
    rina = person(uow)
    ask_reset(uow, services)
    token = mailbox.last_link("reset")
    with uow:
        check_change_password(uow, services, rina, current=PASSWORD, new=NEW, client="10.0.0.1", now=NOW)
        uow.commit()
    with uow, pytest.raises(LinkInvalid):
        check_reset_token(uow, services, token, now=NOW)


def test_a_reset_link_expires_after_two_hours(uow, services, mailbox) -> None:
    person(uow)
    ask_reset(uow, services)
    with uow, pytest.raises(LinkExpired):
        check_reset_token(
            uow, services, mailbox.last_link("reset"), now=NOW + dt.timedelta(hours=2, seconds=1)
        )


def test_a_weak_new_password_is_refused_and_the_link_still_works(uow, services, mailbox) -> None:
    person(uow)
    ask_reset(uow, services)
    token = mailbox.last_link("reset")
    with uow, pytest.raises(InvalidField, match="at least 10"):
        check_reset_password(uow, services, token, password="pendek", now=NOW)
    with uow:
        check_reset_token(uow, services, token, now=NOW)


@pytest.mark.parametrize("email", ["siapa@example.id", "nonaktif@example.id"])
def test_no_link_is_sent_to_an_unknown_or_deactivated_account(uow, services, mailbox, email: str) -> None:
    gone = person(uow, "nonaktif@example.id")
    with uow:
        uow.session.get(User, gone.id).active = False  # type: ignore[union-attr]
        uow.commit()
    ask_reset(uow, services, email=email)
    assert mailbox.sent == []


def test_a_reset_request_queues_the_same_one_job_for_a_known_and_an_unknown_address(
    uow, services, mailbox
) -> None:
    person(uow)
    ask_reset(uow, services, email="rina@example.id")
    ask_reset(uow, services, email="siapa@example.id")
    assert services.queue.queued == [
        ("reset-password", "rina@example.id", None),
        ("reset-password", "siapa@example.id", None),
    ]
    assert [mail["To"] for mail in mailbox.sent] == ["rina@example.id"]  # the job alone told them apart


def test_a_rolled_back_reset_request_queues_nothing(uow, services) -> None:
    person(uow)
    with uow:
        check_request_password_reset(uow, services, email="rina@example.id", client="10.0.0.1", now=NOW)
    assert services.queue.queued == []


def test_changing_the_password_needs_the_current_one(uow, services) -> None:
    rina = person(uow)
    with uow, pytest.raises(InvalidField, match="current password is not right") as caught:
        check_change_password(uow, services, rina, current="bukan ini", new=NEW, client="10.0.0.1", now=NOW)
    assert caught.value.field == "current_password"
    with uow, pytest.raises(InvalidField, match="must differ"):
        check_change_password(uow, services, rina, current=PASSWORD, new=PASSWORD, client="10.0.0.1", now=NOW)


def test_changing_the_password_raises_the_session_counter(uow, services, mailbox) -> None:
    rina = person(uow)
    with uow:
        user = check_change_password(
            uow, services, rina, current=PASSWORD, new=NEW, client="10.0.0.1", now=NOW
        )
        uow.commit()
        assert user.session_version == rina.session_version + 1
    with uow:
        check_sign_in(
            uow, services.throttle, email="rina@example.id", password=NEW, client="10.0.0.1", now=NOW
        )
    assert "Kata sandi Pustaka Anda telah diubah" in mailbox.sent[-1]["Subject"]


def test_guessing_the_current_password_is_rate_limited_like_sign_in(uow, services) -> None:
    from library.accounts.ratelimit import TooManyAttempts

    rina = person(uow)
    for _ in range(10):
        with uow, pytest.raises(InvalidField):
            check_change_password(
                uow, services, rina, current="tebakan salah", new=NEW, client="10.0.0.1", now=NOW
            )
    with uow, pytest.raises(TooManyAttempts):
        check_change_password(uow, services, rina, current=PASSWORD, new=NEW, client="10.0.0.1", now=NOW)


def test_a_new_address_is_used_once_its_link_is_followed(uow, services, mailbox) -> None:
    rina = person(uow)
    with uow:
        check_request_email_change(
            uow,
            services,
            rina,
            new_email="Rina.Baru@Example.id",
            password=PASSWORD,
            client="10.0.0.1",
            now=NOW,
        )
        uow.commit()
    assert mailbox.sent[-1]["To"] == "rina.baru@example.id"
    assert detached(uow, rina.id).email == "rina@example.id"
    with uow:
        result = check_verify_email(uow, services, mailbox.last_link("verify"), now=NOW)
        uow.commit()
    assert result.changed and result.email == "rina.baru@example.id"
    moved = detached(uow, rina.id)
    assert moved.email == "rina.baru@example.id" and moved.email_verified
    assert mailbox.sent[-1]["To"] == "rina@example.id"
    assert "rina.baru@example.id" in mailbox.sent[-1].get_content()


def test_an_older_change_link_stops_working_once_the_address_changed(uow, services, mailbox) -> None:
    rina = person(uow)
    tokens = []
    for new in ("satu@example.id", "dua@example.id"):
        with uow:
            check_request_email_change(
                uow, services, rina, new_email=new, password=PASSWORD, client="10.0.0.1", now=NOW
            )
            uow.commit()
        tokens.append(mailbox.last_link("verify"))
    with uow:
        check_verify_email(uow, services, tokens[1], now=NOW)
        uow.commit()
    with uow, pytest.raises(LinkInvalid):
        check_verify_email(uow, services, tokens[0], now=NOW)


def test_a_taken_address_gets_its_owner_a_notice_and_reveals_nothing(uow, services, mailbox) -> None:
    rina = person(uow)
    person(uow, "budi@example.id")
    with uow:
        check_request_email_change(
            uow, services, rina, new_email="budi@example.id", password=PASSWORD, client="10.0.0.1", now=NOW
        )
        uow.commit()
    assert mailbox.sent[-1]["To"] == "budi@example.id"
    assert mailbox.sent[-1]["Subject"].startswith("Anda sudah memiliki akun Pustaka")
    assert detached(uow, rina.id).email == "rina@example.id"


def test_an_address_taken_after_the_link_was_sent_is_refused(uow, services, mailbox) -> None:
    rina = person(uow)
    with uow:
        check_request_email_change(
            uow, services, rina, new_email="baru@example.id", password=PASSWORD, client="10.0.0.1", now=NOW
        )
        uow.commit()
    person(uow, "baru@example.id")
    with uow, pytest.raises(InvalidInput, match="now belongs to another account"):
        check_verify_email(uow, services, mailbox.last_link("verify"), now=NOW)


def test_the_same_address_is_not_a_change(uow, services) -> None:
    rina = person(uow)
    with uow, pytest.raises(InvalidField, match="already your email address"):
        check_request_email_change(
            uow, services, rina, new_email="RINA@example.id", password=PASSWORD, client="10.0.0.1", now=NOW
        )


def test_no_reset_is_asked_for_an_address_that_is_not_one(uow, services) -> None:
    with uow, pytest.raises(InvalidField):
        check_request_password_reset(uow, services, email="bukan-alamat", client="10.0.0.1", now=NOW)
    with uow:
        assert uow.session.scalar(select(User.id)) is None
