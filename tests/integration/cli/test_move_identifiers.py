"""Identifiers survive `pustaka move` to another database and a new base URL, and are never given twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from library.db import make_engine
from library.models import IdentifierCounter, Office, Publication
from library.settings import Settings
from tests.demo_fixtures import clone_instance
from tests.integration.cli.test_move import move
from webapp import create_app

NEW_BASE = "https://perpustakaan.bps-metro.example"


@pytest.fixture
def source(demo_instance: Path, tmp_path: Path) -> Settings:
    """Return the settings of a copy of the demo instance, its search index not built yet."""
    instance = clone_instance(demo_instance, tmp_path / "instance")
    shutil.rmtree(instance / "search", ignore_errors=True)
    return Settings.from_env({}, instance_dir=instance)


def identifiers_by_key(url: str) -> dict[str, tuple[int, str]]:
    """Return each publication's id and identifier, by its key."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(Publication.key, Publication.id, Publication.identifier)).all()
    engine.dispose()
    return {key: (pid, identifier) for key, pid, identifier in rows}


def test_a_moved_instance_under_a_new_base_url_resolves_every_old_identifier(
    source: Settings, tmp_path: Path
) -> None:
    target = f"sqlite:///{tmp_path / 'target' / 'pustaka.sqlite3'}"
    before = identifiers_by_key(source.sqlalchemy_url)
    assert move(source, target, tmp_path / "shared", "--to-secrets", str(tmp_path / "keys")).exit_code == 0
    after = identifiers_by_key(target)
    assert {key: identifier for key, (_, identifier) in after.items()} == {
        key: identifier for key, (_, identifier) in before.items()
    }
    settings = Settings.from_env(
        {},
        instance_dir=source.instance_path,
        database_url=target,
        files_dir=str(tmp_path / "shared"),
        secrets_dir=str(tmp_path / "keys"),
        base_url=NEW_BASE,
    )
    app = create_app(settings)
    client = app.test_client()
    for key, (publication_id, identifier) in after.items():
        response = client.get(f"/id/{identifier}", headers={"Accept": "text/html"})
        assert response.status_code == 303, key
        assert response.headers["Location"].endswith(f"/katalog/{publication_id}")
    pid, identifier = after["metro-dalam-angka-2024"]
    page = client.get(f"/katalog/{pid}").get_data(as_text=True)
    assert f"{NEW_BASE}/id/{identifier}" in page  # the citation names the new address, same identifier
    oai = client.get("/oai", query_string={"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                           "identifier": f"oai:pustaka.bps1872:{identifier}"})  # fmt: skip
    assert f"<dc:identifier>{NEW_BASE}/id/{identifier}</dc:identifier>" in oai.get_data(as_text=True)
    app.extensions["pustaka"].close()


def test_the_counters_move_too_so_a_new_publication_takes_a_number_never_given(
    source: Settings, tmp_path: Path
) -> None:
    target = f"sqlite:///{tmp_path / 'target' / 'pustaka.sqlite3'}"
    assert move(source, target, tmp_path / "shared").exit_code == 0
    app = create_app(Settings.from_env({}, instance_dir=source.instance_path, database_url=target))
    with app.extensions["pustaka"].transaction() as uow:
        counter = uow.session.get(IdentifierCounter, "bps1872")
        assert counter is not None
        given = counter.last_number
        office = uow.session.scalars(select(Office)).first()
        uow.session.add(Publication(key="baru-sesudah-pindah", title="Baru", issuing_office=office))
    with app.extensions["pustaka"].uow() as uow:
        new = uow.session.scalars(select(Publication).where(Publication.key == "baru-sesudah-pindah")).one()
        taken = set(uow.session.scalars(select(Publication.identifier).where(Publication.id != new.id)))
    assert new.identifier == f"bps1872/{given + 1}" and new.identifier not in taken
    app.extensions["pustaka"].close()
