"""Office standards are loaded from data and read back for the home page."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select, update

import catalog_data
from library.catalogue.offices import get_office_profile, list_office_names, sync_offices
from library.errors import NotFound
from library.models import ComplaintChannel, Office, QueueService, ServiceStandard
from library.uow import UnitOfWork


def test_the_four_offices_of_the_seeds_are_loaded(uow: UnitOfWork) -> None:
    with uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()
        assert [code for code, _ in list_office_names(uow)] == ["1600", "1674", "1805", "1872"]


def test_the_library_target_of_kota_metro_is_five_minutes_from_the_guest_book(uow: UnitOfWork) -> None:
    with uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()
        profile = get_office_profile(uow, "1872")
    library = next(s for s in profile.services if s.kind == "library")
    assert (library.walk_in_minutes, library.walk_in_clock) == (5, "guest_book")
    assert library.section("products", "id") == ["Pustaka hardcopy dan softcopy berwatermark"]
    assert library.channels[0].kind == "box"


def test_an_office_listed_twice_is_loaded_once_as_its_last_record_says(uow: UnitOfWork) -> None:
    offices = catalog_data.load_offices()
    with uow:
        sync_offices(uow, [*offices, dataclasses.replace(offices[0], name="Listed again")])
        uow.commit()
        assert uow.session.scalar(select(func.count(Office.id))) == 4
        assert uow.session.scalar(select(func.count(ServiceStandard.id))) == sum(
            len(o.services) for o in offices
        )
        assert get_office_profile(uow, offices[0].code).name["id"] == "Listed again"


def test_syncing_again_replaces_standards_instead_of_duplicating_them(uow: UnitOfWork) -> None:
    offices = catalog_data.load_offices()
    with uow:
        sync_offices(uow, offices)
        uow.commit()
        changed = [dataclasses.replace(offices[0], name="Renamed office")] + offices[1:]
        sync_offices(uow, changed)
        uow.commit()
        assert uow.session.scalar(select(func.count(Office.id))) == 4
        services = uow.session.scalar(select(func.count(ServiceStandard.id)))
        channels = uow.session.scalar(select(func.count(ComplaintChannel.id)))
        assert services == sum(len(o.services) for o in offices)
        assert channels == sum(len(s.complaint_channels) for o in offices for s in o.services)
        assert get_office_profile(uow, offices[0].code).name["id"] == "Renamed office"


def test_a_rolled_back_sync_leaves_nothing(uow: UnitOfWork) -> None:
    with uow:
        sync_offices(uow, catalog_data.load_offices())
    with uow:
        assert uow.session.scalar(select(func.count(Office.id))) == 0


def test_an_unknown_office_code_is_not_found(uow: UnitOfWork) -> None:
    with uow, pytest.raises(NotFound, match="No office has the code 0000"):
        get_office_profile(uow, "0000")


def test_each_published_service_gets_a_walk_in_queue_that_a_second_sync_keeps(uow: UnitOfWork) -> None:
    with uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()
        first = {(q.office.code, q.code): (q.id, q.letter) for q in uow.session.scalars(select(QueueService))}
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()
        again = {(q.office.code, q.code): (q.id, q.letter) for q in uow.session.scalars(select(QueueService))}
        metro_library = uow.session.scalars(select(QueueService).where(QueueService.code == "library")).one()
        assert metro_library.standard is not None and metro_library.standard.walk_in_minutes == 5
    assert again == first
    assert first[("1872", "library")][1] == "P"
    assert {code for (office, code) in first if office == "1872"} == {"library", "consultation"}
    assert {letter for (office, _), (_, letter) in first.items() if office == "1805"} == {"K"}


def test_office_names_are_kept_for_a_while_and_forgotten_when_offices_are_loaded(
    uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    from library.catalogue import offices as module

    now = [1_000.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: now[0])
    records = catalog_data.load_offices()
    with uow:
        sync_offices(uow, records)
        uow.commit()
        first = module.office_names(uow)
        code = records[0].code
        # Renamed behind the process's back (another process): the kept names are shown a while.
        uow.session.execute(update(Office).where(Office.code == code).values(name="Dari luar"))
        uow.commit()
        assert module.office_names(uow) is first and first[code]["id"] == records[0].name
        now[0] += module.NAMES_KEPT_SECONDS
        assert module.office_names(uow)[code]["id"] == "Dari luar"
        # Loaded by this process: shown at once, once committed.
        kept = module.office_names(uow)
        sync_offices(uow, [dataclasses.replace(records[0], name="Dimuat ulang"), *records[1:]])
        assert module.office_names(uow) is kept  # not committed yet
        uow.commit()
        assert module.office_names(uow)[code]["id"] == "Dimuat ulang"
