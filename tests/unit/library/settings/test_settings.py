"""Settings come from PUSTAKA_* variables, each declared once with a default."""

from __future__ import annotations

from pathlib import Path

import pytest

from library.errors import SettingsError
from library.settings import Settings


def test_defaults_give_sqlite_in_the_instance_folder() -> None:
    settings = Settings.from_env({})
    assert settings.instance_dir == Path("instance")
    assert settings.sqlalchemy_url == f"sqlite:///{Path('instance').resolve() / 'pustaka.sqlite3'}"
    assert settings.office == "1872"


def test_environment_values_are_converted_to_their_declared_types() -> None:
    settings = Settings.from_env(
        {"PUSTAKA_SMTP_PORT": "2525", "PUSTAKA_SMTP_STARTTLS": "yes", "PUSTAKA_INSTANCE_DIR": "/srv/p"}
    )
    assert settings.smtp_port == 2525
    assert settings.smtp_starttls is True
    assert settings.instance_dir == Path("/srv/p")


def test_a_database_url_replaces_the_sqlite_default() -> None:
    url = "postgresql+psycopg://u@db/pustaka"
    assert Settings.from_env({"PUSTAKA_DATABASE_URL": url}).sqlalchemy_url == url


def test_overrides_win_over_the_environment() -> None:
    settings = Settings.from_env({"PUSTAKA_OFFICE": "1600"}, office="1674")
    assert settings.office == "1674"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PUSTAKA_SMTP_PORT", "abc", "PUSTAKA_SMTP_PORT must be a whole number, not 'abc'."),
        ("PUSTAKA_SMTP_PORT", "-1", "PUSTAKA_SMTP_PORT cannot be negative (-1)."),
        ("PUSTAKA_SMTP_STARTTLS", "maybe", "PUSTAKA_SMTP_STARTTLS must be true or false, not 'maybe'."),
        (
            "PUSTAKA_OFFICE",
            "metro",
            "PUSTAKA_OFFICE must be a 4-digit BPS region code such as 1872, not 'metro'.",
        ),
        ("PUSTAKA_MAIL_BACKEND", "pigeon", "PUSTAKA_MAIL_BACKEND must be 'outbox' or 'smtp', not 'pigeon'."),
        ("PUSTAKA_DEFAULT_LOCALE", "fr", "PUSTAKA_DEFAULT_LOCALE must be 'id' or 'en', not 'fr'."),
        ("PUSTAKA_INSTANCE_DIR", " ", "PUSTAKA_INSTANCE_DIR cannot be empty."),
    ],
)
def test_a_bad_value_is_refused_with_a_message_naming_the_variable(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: value})
    assert str(caught.value) == message


def test_an_unknown_override_is_refused() -> None:
    with pytest.raises(SettingsError, match="Unknown setting colour"):
        Settings.from_env({}, colour="blue")


def test_every_setting_is_documented_once_with_its_variable_name() -> None:
    rows = Settings.documented()
    names = [name for name, _, _ in rows]
    assert len(names) == len(set(names))
    assert {"PUSTAKA_INSTANCE_DIR", "PUSTAKA_DATABASE_URL", "PUSTAKA_REDIS_URL", "PUSTAKA_OFFICE"} <= set(
        names
    )
    assert all(doc for _, _, doc in rows)


def test_kiosk_addresses_are_read_as_networks_and_a_wrong_one_is_named() -> None:
    settings = Settings.from_env({"PUSTAKA_KIOSK_ADDRESSES": "10.0.5.20, 10.0.6.0/24"})
    assert [str(n) for n in settings.kiosk_networks] == ["10.0.5.20/32", "10.0.6.0/24"]
    with pytest.raises(SettingsError, match="not-an-address"):
        Settings.from_env({"PUSTAKA_KIOSK_ADDRESSES": "10.0.5.20,not-an-address"})
