"""The scale benchmark's catalogue: written as generated, exactly the size asked, across many offices."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from benchmarks._large_catalogue import seed_many
from library.db import make_engine
from library.settings import Settings
from tests.conftest import postgres_schema

pytestmark = pytest.mark.postgres


def test_a_seeded_catalogue_holds_the_pages_asked_for_in_about_the_publications_asked_for(
    tmp_path: Path,
) -> None:
    with postgres_schema("pustaka_scale") as url:
        settings = Settings.from_env({"PUSTAKA_DATABASE_URL": url}, instance_dir=tmp_path)
        catalogue = seed_many(settings, pages=3_000, publications=60, office_count=12)
        engine = make_engine(url)
        with engine.connect() as conn:
            pages = conn.scalar(text("SELECT count(*) FROM page_text"))
            publications = conn.scalar(text("SELECT count(*) FROM publication"))
            offices = conn.scalar(text("SELECT count(DISTINCT issuing_office_id) FROM publication"))
        engine.dispose()
    assert (pages, publications) == (3_000, catalogue.publications)
    assert 45 <= publications <= 75  # sizes are drawn, so the count is near the one asked for
    assert offices == 12
    assert len(catalogue.texts) == 2 * publications  # every title and first table title, for searches
