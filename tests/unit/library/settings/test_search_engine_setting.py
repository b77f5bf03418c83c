"""PUSTAKA_SEARCH_ENGINE: PostgreSQL's search beside a PostgreSQL database, Whoosh beside SQLite."""

from __future__ import annotations

import pytest

from library.errors import SettingsError
from library.settings import Settings

POSTGRES = "postgresql+psycopg://u@db/pustaka"


@pytest.mark.parametrize(
    ("environ", "in_database"),
    [
        ({}, False),
        ({"PUSTAKA_DATABASE_URL": POSTGRES}, True),
        ({"PUSTAKA_DATABASE_URL": POSTGRES, "PUSTAKA_SEARCH_ENGINE": "whoosh"}, False),
        ({"PUSTAKA_DATABASE_URL": POSTGRES, "PUSTAKA_SEARCH_ENGINE": "postgres"}, True),
        ({"PUSTAKA_SEARCH_ENGINE": "whoosh"}, False),
    ],
)
def test_auto_follows_the_database_and_whoosh_can_still_be_chosen_on_postgresql(environ, in_database) -> None:
    assert Settings.from_env(environ).search_in_database is in_database


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PUSTAKA_SEARCH_ENGINE": "solr"}, "must be 'auto', 'whoosh' or 'postgres', not 'solr'"),
        ({"PUSTAKA_SEARCH_ENGINE": "postgres"}, "needs a PostgreSQL database"),
    ],
)
def test_an_engine_that_cannot_work_is_refused_with_the_reason(environ, message) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(environ)
    assert message in str(refused.value)
