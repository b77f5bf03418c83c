"""The knowledge base on SQLite and PostgreSQL: entries from consultations, publishing, the answers' index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from library.consultation.staff import check_close, check_mark_clear, check_staff_reply
from library.errors import InvalidFields, InvalidInput, NotAllowed, NotFound
from library.knowledge.entries import (
    KnowledgeEntryDetails,
    check_create_entry,
    check_edit_entry,
    check_publish,
    consultation_draft,
)
from library.knowledge.indexing import do_index_answers, do_reindex_answers, search_answers
from library.knowledge.read_models import latest_published, list_entries, public_entry, staff_entry
from library.models import ConsultationAction, KnowledgeEntry, KnowledgeStatus, Role
from library.uow import UnitOfWork
from search.whoosh.answers import WhooshAnswerIndex
from tests.integration.library.consultation.test_consultations import (
    NOW,
    RULES,
    offices,
    opened,
    person,
    step,
)

__all__ = ["offices"]  # the autouse fixture that loads the offices
LATER = NOW + dt.timedelta(hours=2)
ENTRY = KnowledgeEntryDetails(
    title="Berapa persentase penduduk miskin per kecamatan?",
    topic="Kemiskinan",
    answer="Lihat tabel 3.1 publikasi Kota Metro Dalam Angka.",
)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[WhooshAnswerIndex]:
    answers = WhooshAnswerIndex(tmp_path / "answers")
    yield answers
    answers.close()  # its segment's pread descriptor is shared by the process (search.whoosh.memory.MAPS)


def closed(uow: UnitOfWork, question: str = "") -> tuple[str, object]:
    """Open a consultation as Ani, answer and close it as Budi; return its number and Budi."""
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    number = opened(uow, ani)
    step(uow, check_staff_reply, budi, number, "Untuk tahun berapa, Ibu Ani Suryani?", NOW)
    step(uow, check_mark_clear, budi, number, RULES, NOW)
    answer = "Ani Suryani, lihat tabel 3.1; tulis ke ani@example.id bila perlu."
    step(uow, check_staff_reply, budi, number, answer, NOW, action=ConsultationAction.ANSWERED)
    step(uow, check_close, budi, number, LATER)
    return number, budi


def created(uow: UnitOfWork, actor, form: KnowledgeEntryDetails = ENTRY, source: str = "") -> int:
    with uow:
        entry_id = check_create_entry(uow, actor, form, NOW, source)
        uow.commit()
    return entry_id


def test_a_closed_consultation_drafts_its_question_and_answer_without_the_person_who_asked(uow) -> None:
    number, budi = closed(uow)
    with uow:
        draft = consultation_draft(uow, budi, number)
    assert draft.title == "Berapa persentase penduduk miskin Kota Metro per kecamatan?"
    assert draft.topic == "Data kemiskinan"
    # The answer, not the clarifying question, and nobody named.
    assert draft.answer == "[…], lihat tabel 3.1; tulis ke […] bila perlu."
    entry_id = created(uow, budi, draft, number)
    with uow:
        view = staff_entry(uow, budi, entry_id)
    assert view.consultation_number == number and view.summary.status is KnowledgeStatus.DRAFT
    assert view.summary.editor_name == "Budi Santoso"


def test_an_open_consultation_or_an_unknown_one_makes_no_entry(uow) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    number = opened(uow, ani)
    with uow, pytest.raises(InvalidInput, match="Close consultation"):
        consultation_draft(uow, budi, number)
    with uow, pytest.raises(NotFound):
        check_create_entry(uow, budi, ENTRY, NOW, "KS-00000000-99999")
    with uow:
        assert list_entries(uow, budi) == []


def test_only_consultants_write_entries(uow) -> None:
    number, _ = closed(uow)
    ani = person(uow, "eka@example.id")
    librarian = person(uow, "lib@example.id", roles=(Role.LIBRARIAN,))
    for someone in (ani, librarian, None):
        with uow, pytest.raises(NotAllowed):
            check_create_entry(uow, someone, ENTRY, NOW)
        with uow, pytest.raises(NotAllowed):
            consultation_draft(uow, someone, number)


def test_every_problem_with_an_entry_is_named_at_once(uow) -> None:
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    with uow, pytest.raises(InvalidFields) as caught:
        check_create_entry(uow, budi, KnowledgeEntryDetails(title=" ", topic="x" * 201, answer="\x00"), NOW)
    assert [p.field for p in caught.value.problems] == ["title", "topic", "answer"]


def test_publishing_changes_what_the_public_sees_and_queues_the_index_only_after_commit(uow) -> None:
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    entry_id = created(uow, budi)
    queued: list[int] = []
    with uow, pytest.raises(NotFound):
        public_entry(uow, entry_id)
    with uow:
        check_publish(uow, budi, entry_id, LATER, queued.append, publish=True)
        uow.rollback()
    assert queued == []
    step(uow, check_publish, budi, entry_id, LATER, queued.append, publish=True)
    assert queued == [entry_id]
    with uow:
        assert public_entry(uow, entry_id).published_at == LATER
        assert [e.id for e in latest_published(uow)] == [entry_id]
    with uow, pytest.raises(InvalidInput, match="already published"):
        check_publish(uow, budi, entry_id, LATER, queued.append, publish=True)
    step(uow, check_publish, budi, entry_id, LATER, queued.append, publish=False)
    with uow, pytest.raises(NotFound):
        public_entry(uow, entry_id)


def test_an_edit_records_who_and_when_and_reindexes_only_a_published_entry(uow) -> None:
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    citra = person(uow, "citra@example.id", roles=(Role.CONSULTANT,), name="Citra Lestari")
    entry_id = created(uow, budi)
    queued: list[int] = []
    step(uow, check_edit_entry, citra, entry_id, ENTRY, LATER, queued.append)
    assert queued == []
    step(uow, check_publish, budi, entry_id, LATER, queued.append, publish=True)
    step(uow, check_edit_entry, citra, entry_id, ENTRY, LATER, queued.append)
    assert queued == [entry_id, entry_id]
    with uow:
        row = uow.session.get(KnowledgeEntry, entry_id)
        assert row is not None and row.edited_at == LATER
        assert staff_entry(uow, budi, entry_id).summary.editor_name == "Citra Lestari"


def test_the_search_finds_published_answers_by_their_stems_and_never_a_draft(uow, index) -> None:
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    poverty = created(uow, budi)
    inflation = created(
        uow, budi, KnowledgeEntryDetails(title="Inflasi bulanan", topic="Harga", answer="Lihat BRS.")
    )
    for entry_id in (poverty, inflation):
        step(uow, check_publish, budi, entry_id, LATER, lambda _: None, publish=True)
    with uow:
        do_index_answers(uow, index, [poverty, inflation])
        assert [e.summary.id for e in search_answers(uow, index, "kemiskinan kecamatan")] == [poverty]
        assert [e.summary.id for e in search_answers(uow, index, "INFLASI")] == [inflation]
        assert search_answers(uow, index, "  ") == [] and search_answers(uow, index, "zqxjvw") == []
    step(uow, check_publish, budi, poverty, LATER, lambda _: None, publish=False)
    with uow:
        assert search_answers(uow, index, "miskin") == []  # the index still holds it: the database decides
        do_index_answers(uow, index, [poverty])
    assert index.ids() == {str(inflation)}


def test_the_answers_index_is_rebuilt_from_the_database(uow, index) -> None:
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    published = created(uow, budi)
    created(uow, budi)  # a draft
    step(uow, check_publish, budi, published, LATER, lambda _: None, publish=True)
    index.index([])
    with uow:
        assert do_reindex_answers(uow, index) == 1
    assert index.ids() == {str(published)}
