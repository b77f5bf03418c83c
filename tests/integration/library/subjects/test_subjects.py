"""Controlled subjects: the vocabulary loaded, variants merged after a preview, sets and facets by subject."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

import catalog_data
from library import migrate
from library.catalogue.indexing import do_index_publications
from library.errors import InvalidField
from library.filestore import FileStore
from library.intake.ingest_job import run_ingest
from library.models import (
    IngestChannel,
    IngestJob,
    Office,
    Publication,
    PublicationChange,
    Role,
    SubjectAlias,
    SubjectGroup,
    SubjectTerm,
    User,
)
from library.oai import verbs as oai
from library.oai.repository import Repository
from library.oai.requests import OAIRequest
from library.subjects.merging import (
    check_add_term,
    check_merge,
    check_set_term_active,
    preview_merge,
    subject_overview,
)
from library.subjects.vocabulary import apply_subject, controlled_subject, load_missing_subjects
from library.uow import UnitOfWork
from search.engine import Query
from search.memory.engine import MemorySearchEngine
from tests.integration.library.accounts_helpers import stored_person
from tests.integration.library.ingest_fixtures import RecordingQueue, load_offices, make_worker, submit
from tests.integration.library.migration_helpers import insert_row
from tests.integration.library.pdf_helpers import tiny_pdf

NOW = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def librarian(uow: UnitOfWork) -> User:
    return stored_person(uow, "wulan@bps.go.id", [Role.LIBRARIAN], "Wulan Pustakawan", email_verified=True)


def store(uow: UnitOfWork, *subjects: str) -> list[int]:
    """Store one publication per subject text (mapped as the form maps it); return their ids."""
    with uow:
        office = uow.session.scalar(select(Office).where(Office.code == "1872")) or Office(
            code="1872", name="BPS Kota Metro"
        )
        rows = [
            Publication(
                key=f"p{n}", title=f"Publikasi {n}", subject=s, issuing_office=office, actual_release=TODAY
            )
            for n, s in enumerate(subjects)
        ]
        for row in rows:
            apply_subject(uow, row)
        uow.session.add_all(rows)
        uow.commit()
        return [row.id for row in rows]


def term_named(uow: UnitOfWork, name: str) -> SubjectTerm:
    term = uow.session.scalar(select(SubjectTerm).where(SubjectTerm.name_id == name))
    assert term is not None
    return term


def test_the_vocabulary_is_loaded_with_its_groups_and_english_names_and_only_once(uow: UnitOfWork) -> None:
    groups = catalog_data.load_subjects()
    with uow:
        assert load_missing_subjects(uow, groups) == 0  # the migration (0043) seeded it already
        uow.commit()
        assert uow.session.scalar(select(func.count(SubjectTerm.id))) == sum(len(g.terms) for g in groups)
        names = dict(uow.session.execute(select(SubjectGroup.code, SubjectGroup.name_id)).all())
        assert names["sosial-dan-kependudukan"] == "Sosial dan Kependudukan"
        assert {"ekonomi-dan-perdagangan", "pertanian-dan-pertambangan"} <= set(names)
        assert term_named(uow, "Kemiskinan").name_en == "Poverty"
        assert term_named(uow, "Tenaga Kerja").origin == "bps"
        assert term_named(uow, "Statistik Umum").origin == "office"
        # Every subject the demo catalogue uses is a controlled subject, by its name or an alias.
        assert all(controlled_subject(uow, s) is not None for s in catalog_data.records.SUBJECTS)
        assert controlled_subject(uow, "  KETENAGAKERJAAN ").name_id == "Tenaga Kerja"  # type: ignore[union-attr]


def test_the_migration_matches_folded_texts_and_keeps_the_rest_listed(
    engine: Engine, uow: UnitOfWork, librarian: User
) -> None:
    migrate.downgrade(engine, "0042")
    office = insert_row(engine, "office", code="1872", name="BPS Kota Metro")
    for n, subject in enumerate(["  kemiskinan", "Ketenagakerjaan", "kependudukn", "Kesehatán"]):
        insert_row(
            engine,
            "publication",
            key=f"p{n}",
            title=f"P{n}",
            subject=subject,
            issuing_office_id=office,
            access_level="open",
            version=1,
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.subject, t.name_id, p.version FROM publication p"
                " LEFT JOIN subject_term t ON t.id = p.subject_id ORDER BY p.key"
            )
        ).all()
        history = conn.execute(
            text("SELECT field, old_value, new_value, changed_by_name FROM publication_change ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("Kemiskinan", "Kemiskinan", 2),
        ("Tenaga Kerja", "Tenaga Kerja", 2),  # through the alias
        ("kependudukn", None, 1),  # a typo: kept as it is
        ("Kesehatan", "Kesehatan", 2),  # accents do not count
    ]
    assert ("subject", "Ketenagakerjaan", "Tenaga Kerja", "pustaka db upgrade") in [tuple(h) for h in history]
    with uow:
        _groups, variants = subject_overview(uow, librarian)
    assert [(v.text, v.publications) for v in variants] == [("kependudukn", 1)]


def test_a_typo_is_merged_after_a_preview_with_its_history_alias_and_index(
    uow: UnitOfWork, librarian: User
) -> None:
    ids = store(uow, "Kependudukan", "kependudukn", "kependudukn", "Kependudukan penduduk")
    queue, search = RecordingQueue(), MemorySearchEngine()
    with uow:
        do_index_publications(uow, search, ids, TODAY)
        term = term_named(uow, "Kependudukan")
        before = dict(search.search(Query(per_page=1)).facets["subject"])
        planned = preview_merge(uow, librarian, ["kependudukn"], term.id)
        assert uow.session.scalar(select(func.count(PublicationChange.id))) == 0  # a preview changes nothing
    assert before == {"Kependudukan": 1, "kependudukn": 2, "Kependudukan penduduk": 1}
    assert [(p.publication_id, p.old, p.new) for p in planned] == [
        (ids[1], "kependudukn", "Kependudukan"),
        (ids[2], "kependudukn", "Kependudukan"),
    ]
    with uow:
        assert check_merge(uow, librarian, queue, ["kependudukn"], term.id, now=NOW) == 2
        uow.commit()
    with uow:
        merged = uow.session.get(Publication, ids[1])
        assert merged is not None and (merged.subject, merged.subject_id, merged.version) == (
            "Kependudukan",
            term.id,
            2,
        )
        change = uow.session.scalar(
            select(PublicationChange).where(PublicationChange.publication_id == ids[1])
        )
        assert change is not None and (change.old_value, change.new_value, change.changed_by_name) == (
            "kependudukn",
            "Kependudukan",
            "Wulan Pustakawan",
        )
        assert (
            uow.session.scalar(select(SubjectAlias.text).where(SubjectAlias.term_id == term.id))
            == "kependudukn"
        )
        assert controlled_subject(uow, "Kependudukn ") == uow.session.get(
            SubjectTerm, term.id
        )  # later records map
        do_index_publications(uow, search, queue.indexed, TODAY)
    assert sorted(queue.indexed) == ids[1:3]
    assert dict(search.search(Query(per_page=1)).facets["subject"]) == {
        "Kependudukan": 3,
        "Kependudukan penduduk": 1,
    }


def test_a_merge_or_a_new_subject_refuses_bad_input_and_a_deactivated_subject_is_not_matched(
    uow: UnitOfWork, librarian: User
) -> None:
    store(uow, "kependudukn")
    with uow:
        term = term_named(uow, "Kependudukan")
        for nothing in ([], ["  "], ["ke\x00pendudukn", "k" * 300]):  # none, blank, no column holds it
            with pytest.raises(InvalidField, match="at least one variant"):
                preview_merge(uow, librarian, nothing, term.id)
        assert controlled_subject(uow, "Kemiskinan\x00") == term_named(uow, "Kemiskinan")  # control: a space
        with pytest.raises(InvalidField, match="Choose the subject"):
            check_merge(uow, librarian, RecordingQueue(), ["kependudukn"], 999999, now=NOW)
        with pytest.raises(InvalidField, match="already"):
            check_add_term(uow, librarian, None, "kemiskinan", "Poverty")
        added = check_add_term(uow, librarian, term.group_id, "Statistik Desa", "Village Statistics")
        assert (added.origin, added.code, controlled_subject(uow, "statistik desa")) == (
            "office",
            "statistik-desa",
            added,
        )
        publication = uow.session.scalar(select(Publication))
        assert publication is not None
        publication.subject = "statistik desa"
        assert apply_subject(uow, publication).term == added
        check_set_term_active(uow, librarian, added.id, False)
        assert controlled_subject(uow, "Statistik Desa") is None  # no longer given...
        assert apply_subject(uow, publication).term == added  # ...nor taken from the record naming it
        uow.commit()


def test_oai_has_a_set_per_subject_group_and_gives_the_subject_in_both_languages(uow: UnitOfWork) -> None:
    ids = store(uow, "Kemiskinan", "Inflasi", "kependudukn")
    repo = Repository("https://pustaka.example.go.id", "1872", "pst@example.go.id", b"k" * 32, 10)
    with uow:
        specs = [s.spec for s in oai.list_sets(uow)]
        assert specs[specs.index("subject") : specs.index("collection")] == [
            "subject",
            "subject:sosial-dan-kependudukan",
            "subject:ekonomi-dan-perdagangan",
            "subject:inflasi",
            "subject:kemiskinan",
            "subject:kependudukn",  # free text keeps its own set, as before
        ]
        request = OAIRequest(
            "ListRecords", {"metadataPrefix": "oai_dc", "set": "subject:sosial-dan-kependudukan"}
        )
        records = oai.list_records(uow, repo, request, NOW).records
        first = uow.session.get(Publication, ids[0])
        assert [r.header.identifier for r in records] == [repo.identifier(first)]
    assert records[0].header.set_specs == (
        "office:1872",
        "subject:sosial-dan-kependudukan",
        "subject:kemiskinan",
    )
    subjects = [(e.value, e.lang) for e in records[0].metadata if e.name == "subject"]
    assert subjects == [("Kemiskinan", "id"), ("Poverty", "en")]


def test_a_csv_row_typed_with_a_merged_variant_gets_the_subject(
    uow: UnitOfWork, tmp_path: Path, librarian: User
) -> None:
    load_offices(uow)
    store(uow, "kemiskinn")
    with uow:
        check_merge(
            uow, librarian, RecordingQueue(), ["kemiskinn"], term_named(uow, "Kemiskinan").id, now=NOW
        )
        uow.commit()
    files, queue = FileStore(tmp_path / "files"), RecordingQueue()
    for name, typed in (("a.pdf", "Kemiskinn"), ("b.pdf", "Kemiskinan dan ketimpangan")):
        pdf = tmp_path / name
        pdf.write_bytes(tiny_pdf(f"Data {name}"))
        draft = {"title": f"Data {name}", "subject": typed}
        submit(uow, files, queue, pdf, channel=IngestChannel.CSV, draft=draft)
    for job_id in queue.ingested:
        run_ingest(make_worker(uow, files, queue), job_id)
    with uow:
        rows = uow.session.execute(
            select(Publication.subject, Publication.subject_id, IngestJob.notes)
            .join(IngestJob, IngestJob.publication_id == Publication.id)
            .order_by(IngestJob.id)
        ).all()
        kemiskinan = term_named(uow, "Kemiskinan").id
    assert [(s, i) for s, i, _notes in rows] == [
        ("Kemiskinan", kemiskinan),
        ("Kemiskinan dan ketimpangan", None),
    ]
    assert not any("controlled subjects" in str(n) for n in rows[0][2] or [])
    assert any("controlled subjects" in str(n) for n in rows[1][2])  # kept as typed, and told
