"""`pustaka ingest`, `reindex` and `check-index`: files in, searchable records out, failures named."""

from __future__ import annotations

import shutil
from unittest import mock

from sqlalchemy import func, select

import catalog_data
from library.db import make_engine, make_session_factory
from library.models import IngestJob, PageText, Publication
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.index_status import RebuildReport
from runtime.root import Runtime
from search.engine import Query
from search.whoosh.engine import WhooshSearchEngine
from tests.conftest import require_service
from tests.integration.ingest import hostile_files
from tests.integration.library.pdf_helpers import tiny_pdf
from tests.integration.watermark.active_pdfs import hostile_pdf


def count(settings: Settings, model) -> int:
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        value = uow.session.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return value


def search(settings: Settings, words: str):
    index = WhooshSearchEngine(str(Runtime(settings).search_path))
    try:
        return index.search(Query(words))
    finally:
        index.close()


def test_ingest_makes_demo_scans_searchable_by_words_only_in_their_page_images(
    run, settings, tmp_path
) -> None:
    require_service("Tesseract", shutil.which("tesseract") is not None)
    # The two shortest open scans: each page is read by OCR at 300 dpi.
    opened = [r for r in catalog_data.load_demo_catalogue() if r.scanned and r.access_level == "open"]
    scans = sorted(opened, key=lambda r: r.pages)[:2]
    paths = []
    for record in scans:
        path = tmp_path / f"{record.key}.pdf"
        path.write_bytes(catalog_data.render_demo_pdf(record))
        paths.append(str(path))
    result = run("ingest", "--publish", *paths)  # public at once: a bare file would be a draft
    assert result.exit_code == 0, result.output
    assert "2 ingested, 0 skipped, 0 failed." in result.output
    for record in scans:
        for keyword in record.scan_keywords:
            results = search(settings, keyword)
            assert results.total == 1, (record.key, keyword)
            assert results.hits[0].pages, (record.key, keyword)


def test_ingest_names_each_failure_and_exits_non_zero(run, settings, tmp_path) -> None:
    good = tmp_path / "neraca.pdf"
    good.write_bytes(tiny_pdf("Neraca Regional", 2))
    bad = hostile_files.encrypted_pdf(tmp_path)
    empty = hostile_files.empty_file(tmp_path)
    result = run("ingest", str(good), str(bad), str(empty))
    assert result.exit_code == 1
    assert "1 ingested, 0 skipped, 2 failed." in result.output
    assert f"{bad.name}:" in result.output and "password" in result.output
    assert f"{empty.name}:" in result.output and "empty" in result.output
    assert count(settings, Publication) == 1 and count(settings, IngestJob) == 1


def test_ingest_says_what_active_content_it_removed_in_indonesian_then_english(run, tmp_path) -> None:
    hostile = tmp_path / "statda-berbahaya.pdf"
    hostile.write_bytes(hostile_pdf())
    plain = tmp_path / "neraca.pdf"
    plain.write_bytes(tiny_pdf("Neraca Regional", 2))
    result = run("ingest", str(hostile), str(plain))
    assert result.exit_code == 0, result.output
    report = result.output[result.output.index("Ingested:") :]
    about_hostile, about_plain = report.split("- neraca.pdf")
    assert "      JavaScript dihapus (5 skrip).\n      (JavaScript removed (5 scripts).)" in about_hostile
    assert "      2 berkas sematan dihapus.\n      (2 embedded files removed.)" in about_hostile
    assert "Formulir XFA dihapus." in about_hostile
    assert "dihapus" not in about_plain


def test_ingest_of_the_same_file_again_is_skipped(run, settings, tmp_path) -> None:
    good = tmp_path / "neraca.pdf"
    good.write_bytes(tiny_pdf("Neraca Regional", 2))
    run("ingest", str(good))
    result = run("ingest", str(good))
    assert result.exit_code == 0
    assert "0 ingested, 1 skipped, 0 failed." in result.output and "already in the library" in result.output


def test_dry_run_shows_what_would_happen_and_changes_nothing(run, settings, tmp_path) -> None:
    good = tmp_path / "neraca.pdf"
    good.write_bytes(tiny_pdf("Neraca Regional", 2))
    result = run("ingest", "--dry-run", str(good))
    assert result.exit_code == 0, result.output
    assert "OK      neraca.pdf: pdf, 2 pages (2 with text, 0 to OCR), born_digital" in result.output
    assert "Nothing was changed." in result.output
    assert count(settings, IngestJob) == 0 and not settings.files_path.exists()


def test_reindex_rebuilds_and_check_index_finds_differences(run, settings, tmp_path) -> None:
    good = tmp_path / "neraca.pdf"
    good.write_bytes(tiny_pdf("Neraca Regional", 2))
    run("ingest", "--publish", str(good))
    assert run("check-index").exit_code == 0
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        uow.session.execute(PageText.__table__.update().values(text="diubah"))
        uow.commit()
    engine.dispose()
    stale = run("check-index")
    assert stale.exit_code == 1 and "1 publication(s) out of date in the index" in stale.output
    progress = settings.instance_path / "reindex-progress.json"
    written = []
    real_write = RebuildReport.write

    def write(self, done: int, total: int) -> None:
        written.append((done, total))
        real_write(self, done, total)

    with mock.patch.object(RebuildReport, "write", write):
        result = run("reindex")
    assert (
        result.exit_code == 0
        and "The index holds 1 publications and 0 knowledge-base answers." in result.output
    )
    assert written[-1] == (1, 1) and not progress.exists()  # the search page was told, then the file went
    assert run("check-index").exit_code == 0
    assert search(settings, "diubah").total == 1


def test_check_index_also_compares_the_knowledge_base_answers(run, settings) -> None:
    from library.models import KnowledgeEntry, KnowledgeStatus, Role
    from tests.integration.library.consultation.test_consultations import person

    engine = make_engine(settings.sqlalchemy_url)
    uow = UnitOfWork(make_session_factory(engine))
    editor = person(uow, "editor@example.id", roles=(Role.CONSULTANT,))
    with uow:
        entry = KnowledgeEntry(
            title="Bagaimana meminta data desa?",
            answer="Ajukan konsultasi dengan wilayah desa yang dibutuhkan.",
            topic="Data wilayah",
            status=KnowledgeStatus.PUBLISHED.value,
            created_by=editor.id,
            edited_by=editor.id,
        )
        uow.session.add(entry)
        uow.commit()
        entry_id = entry.id
    missing = run("check-index")  # published straight into the database: its indexing job never ran
    assert missing.exit_code == 1
    assert f"1 knowledge-base answer(s) published but not in the index: {entry_id}" in missing.output
    assert run("reindex").exit_code == 0
    assert run("check-index").exit_code == 0
    with uow:
        uow.session.get(KnowledgeEntry, entry_id).status = KnowledgeStatus.DRAFT.value
        uow.commit()
    engine.dispose()
    extra = run("check-index")
    assert extra.exit_code == 1
    assert f"1 knowledge-base answer(s) in the index but not published: {entry_id}" in extra.output


def test_a_bare_file_is_a_draft_nobody_finds_until_published(run, settings, tmp_path) -> None:
    good = tmp_path / "neraca.pdf"
    good.write_bytes(tiny_pdf("Neraca Regional", 2))
    assert run("ingest", str(good)).exit_code == 0
    assert search(settings, "neraca").total == 0  # a draft: its title was guessed from the file
