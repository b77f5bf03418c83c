"""The scale benchmark's catalogue (written as generated, exactly the size asked, across many offices), and
the checks that stop a benchmark reporting a goal it did not measure."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from benchmarks._large_catalogue import seed_many
from benchmarks._measured import NotMeasured, require_answered, require_indexed, require_succeeded
from library.db import make_engine
from library.settings import Settings
from tests.conftest import postgres_schema


@pytest.mark.postgres
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
            public = conn.scalar(text("SELECT count(*) FROM publication WHERE published_at IS NOT NULL"))
            offices = conn.scalar(text("SELECT count(DISTINCT issuing_office_id) FROM publication"))
        engine.dispose()
    assert (pages, publications) == (3_000, catalogue.publications)
    assert public == publications  # a row without a publication date is a draft, never indexed
    assert 45 <= publications <= 75  # sizes are drawn, so the count is near the one asked for
    assert offices == 12
    assert len(catalogue.texts) == 2 * publications  # every title and first table title, for searches


def test_a_benchmark_stops_rather_than_time_searches_on_an_index_missing_publications(tmp_path: Path) -> None:
    env = {"PUSTAKA_INSTANCE_DIR": str(tmp_path), "PUSTAKA_SEARCH_ENGINE": "whoosh"}
    with pytest.raises(NotMeasured, match="holds 0 publications after `pustaka reindex`, not the 5 seeded"):
        require_indexed(env, 5)


def test_a_load_mostly_refused_is_not_reported_as_pages_served() -> None:
    require_answered("searches", requests=1_000, refused=10)
    with pytest.raises(NotMeasured, match="11 of 1,000 requests were refused"):
        require_answered("searches", requests=1_000, refused=11)


def test_a_phase_whose_requests_mostly_failed_is_not_reported_as_measured() -> None:
    require_succeeded("page images", succeeded=10, failed=10)
    with pytest.raises(NotMeasured, match="page images: 0 requests succeeded and 40 failed"):
        require_succeeded("page images", succeeded=0, failed=40)  # every page of a draft: 404
    with pytest.raises(NotMeasured, match="9 requests succeeded and 10 failed"):
        require_succeeded("copies", succeeded=9, failed=10)
    with pytest.raises(NotMeasured, match="0 requests succeeded and 0 failed"):
        require_succeeded("search", succeeded=0, failed=0)
