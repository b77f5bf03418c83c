"""Consultation attachments on SQLite and PostgreSQL: stored with their message, or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from library.consultation.attachments import Attachments, Upload
from library.consultation.consultations import check_open_consultation, check_user_reply
from library.consultation.read_models import attachment_file, consultation_view
from library.consultation.staff import check_staff_reply
from library.errors import InvalidField, InvalidFields, NotFound
from library.models import ConsultationAttachment, ConsultationMessage, Role
from library.uow import UnitOfWork
from tests.integration.library.consultation.test_consultations import GOOD, NOW, RULES, offices, person

__all__ = ["offices"]  # the autouse fixture that loads the offices
PDF = Upload("tabel.pdf", b"%PDF-1.4 tabel")
PROGRAM = Upload("tabel.xlsx", b"MZ\x90\x00")


def count(uow: UnitOfWork, model) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def test_files_go_with_the_question_and_the_messages_and_only_their_people_fetch_them(uow, store) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    eka = person(uow, "eka@example.id")
    with uow:
        number = check_open_consultation(uow, ani, GOOD, RULES, NOW, Attachments(store, [PDF]))
        check_staff_reply(uow, budi, number, "Terlampir.", NOW, attachments=Attachments(store, [PDF, PDF]))
        uow.commit()
    with uow:
        view = consultation_view(uow, ani, number)
        [asked] = view.attachments
        assert [a.name for a in view.messages[0].attachments] == ["tabel.pdf", "tabel.pdf"]
        found = attachment_file(uow, budi, number, asked.id)
        assert store.read_bytes(found.sha256) == PDF.data and found.filename == "tabel.pdf"
        with pytest.raises(NotFound):
            attachment_file(uow, eka, number, asked.id)


def test_a_wrong_file_leaves_no_message_and_no_file_row(uow, store) -> None:
    ani = person(uow, "ani@example.id")
    with uow:
        number = check_open_consultation(uow, ani, GOOD, RULES, NOW)
        uow.commit()
    with uow, pytest.raises(InvalidField, match="tabel.xlsx cannot be attached"):
        check_user_reply(
            uow, ani, number, "Ini datanya.", NOW, attachments=Attachments(store, [PDF, PROGRAM])
        )
    assert count(uow, ConsultationMessage) == 0 and count(uow, ConsultationAttachment) == 0


def test_a_wrong_file_is_named_with_the_other_problems_of_the_question(uow, store) -> None:
    ani = person(uow, "ani@example.id")
    with uow, pytest.raises(InvalidFields) as caught:
        check_open_consultation(
            uow, ani, GOOD.__class__(**{**vars(GOOD), "topic": ""}), RULES, NOW, Attachments(store, [PROGRAM])
        )
    assert [p.field for p in caught.value.problems] == ["topic", "attachments"]
