"""The runtime opens the search engine the settings choose, and `pustaka reindex` rebuilds that one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from library.db import make_engine, make_session_factory
from library.job_queue import INDEX_IN_TRANSACTION
from library.models import Office, Publication
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.root import Runtime
from search.engine import Query
from search.postgres.answers import PostgresAnswerIndex
from search.postgres.engine import PostgresSearchEngine
from search.whoosh.answers import WhooshAnswerIndex
from search.whoosh.engine import WhooshSearchEngine
from tests.conftest import empty_all_tables

pytestmark = pytest.mark.postgres
METRO = Office(code="1872", name="BPS Kota Metro")


def runtime_on(url: str, tmp_path: Path, engine: str = "auto") -> Runtime:
    return Runtime(
        Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=url, search_engine=engine)
    )


def test_on_postgresql_the_runtime_searches_and_writes_in_the_database(postgres_schema_url, tmp_path) -> None:
    rt = runtime_on(postgres_schema_url, tmp_path, "auto")
    try:
        assert isinstance(rt.search(), PostgresSearchEngine) and rt.index() is rt.search()
        assert isinstance(rt.answers(), PostgresAnswerIndex)
        with rt.uow() as uow:
            assert INDEX_IN_TRANSACTION in uow.session.info  # publications' changes index themselves
    finally:
        rt.close()
    assert not (tmp_path / "instance" / "search").exists()


def test_whoosh_can_still_be_chosen_on_postgresql_and_leaves_indexing_to_a_job(
    postgres_schema_url, tmp_path
) -> None:
    rt = runtime_on(postgres_schema_url, tmp_path, "whoosh")
    try:
        assert isinstance(rt.search(), WhooshSearchEngine)
        assert isinstance(rt.answers(), WhooshAnswerIndex)
        with rt.uow() as uow:
            assert INDEX_IN_TRANSACTION not in uow.session.info
    finally:
        rt.close()


def test_reindex_and_check_index_work_on_postgresqls_index_when_it_is_chosen(
    postgres_schema_url, tmp_path
) -> None:
    engine = make_engine(postgres_schema_url)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:  # a session that does not index
            uow.session.add(Publication(key="mda", title="Kota Metro Dalam Angka", issuing_office=METRO))
            uow.commit()
        missing = CliRunner().invoke(main, ["check-index"], obj=runtime_on(postgres_schema_url, tmp_path))
        assert missing.exit_code != 0 and "not in the index" in missing.output
        rebuilt = CliRunner().invoke(main, ["reindex"], obj=runtime_on(postgres_schema_url, tmp_path))
        assert rebuilt.exit_code == 0, rebuilt.output
        assert "holds 1 publications" in rebuilt.output
        clean = CliRunner().invoke(
            main, ["check-index"], obj=runtime_on(postgres_schema_url, tmp_path, "auto")
        )
        assert clean.exit_code == 0 and "matches the database" in clean.output
        with PostgresSearchEngine(engine, create=False) as search:
            assert [hit.title for hit in search.search(Query("metro")).hits] == ["Kota Metro Dalam Angka"]
    finally:
        empty_all_tables(engine)
        engine.dispose()
    assert not (tmp_path / "instance" / "search").exists()
