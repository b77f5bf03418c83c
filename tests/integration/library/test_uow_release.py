"""A unit of work that has only read gives its connection back; one that wrote cannot."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.pool import QueuePool

from library.db import make_session_factory
from library.models import Office
from library.uow import UnitOfWork


def test_a_read_transaction_gives_its_connection_back_and_what_it_loaded_stays(engine: Engine) -> None:
    with UnitOfWork(make_session_factory(engine)) as uow:
        uow.session.add(Office(code="1871", name="BPS Kota Bandar Lampung", timezone="Asia/Jakarta"))
        uow.commit()
        office = uow.session.scalars(select(Office).where(Office.code == "1871")).one()
        assert _checked_out(engine) == 1
        uow.release()
        assert _checked_out(engine) == 0
        assert office.name == "BPS Kota Bandar Lampung"  # loaded, not expired
        uow.session.scalar(select(Office.id))  # and the next query opens a new transaction
        assert _checked_out(engine) == 1


@pytest.mark.parametrize("how", ["flushed", "pending", "executed"])
def test_a_transaction_that_wrote_keeps_its_connection(engine: Engine, how: str) -> None:
    with UnitOfWork(make_session_factory(engine)) as uow:
        if how == "executed":  # a statement of its own, no object
            uow.session.execute(update(Office).values(name="BPS Lampung"))
        else:
            uow.session.add(Office(code="1871", name="BPS Kota Bandar Lampung", timezone="Asia/Jakarta"))
            if how == "flushed":
                uow.session.flush()
        with pytest.raises(RuntimeError, match="has written"):
            uow.release()
        uow.commit()
        uow.release()  # once committed, there is nothing of its own to keep


def _checked_out(engine: Engine) -> int:
    """Return how many of the engine's connections are in use (SQLite in memory keeps one per thread)."""
    pool = engine.pool
    return pool.checkedout() if isinstance(pool, QueuePool) else -1


def test_a_web_process_pool_has_a_connection_per_serving_thread(tmp_path) -> None:
    from library.settings import Settings
    from runtime.root import Runtime

    rt = Runtime(Settings.from_env({}, instance_dir=tmp_path))
    rt.serve_with_threads(16)
    pool = rt.engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.size() == 16 and pool._max_overflow == 2  # noqa: SLF001 - no public reader of it
    with pytest.raises(RuntimeError, match="already connected"):
        rt.serve_with_threads(4)
    rt.close()
