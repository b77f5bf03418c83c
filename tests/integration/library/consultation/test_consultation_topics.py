"""The topics the consultation forms suggest: BPS's subjects, then the ones asked most, each once."""

from __future__ import annotations

import dataclasses

import pytest

from catalog_data.records import SUBJECTS
from library.consultation.topics import suggested_topics, topic_key
from library.uow import UnitOfWork
from tests.integration.library.consultation.test_consultations import GOOD, opened, person
from tests.integration.library.frontoffice_helpers import load_offices


@pytest.fixture(autouse=True)
def offices(uow: UnitOfWork) -> None:
    load_offices(uow)


def ask(uow: UnitOfWork, actor, topic: str, times: int = 1) -> None:
    for _ in range(times):
        opened(uow, actor, dataclasses.replace(GOOD, topic=topic))


def suggested(uow: UnitOfWork, most_asked: int = 30) -> list[str]:
    with uow:
        return suggested_topics(uow, most_asked)


def test_with_nothing_asked_yet_the_subjects_are_suggested(uow) -> None:
    assert suggested(uow) == list(SUBJECTS)


def test_topics_asked_follow_the_subjects_most_asked_first_in_the_spelling_used_most(uow) -> None:
    ani = person(uow, "ani@example.id")
    ask(uow, ani, "Inflasi bulanan", 2)
    ask(uow, ani, "inflasi  Bulanan")  # the same topic, spelled otherwise once
    ask(uow, ani, "Data desa", 2)
    ask(uow, ani, "IPM kecamatan")
    ask(uow, ani, "kemiskinan ")  # a subject already: not repeated
    found = suggested(uow)
    assert found[: len(SUBJECTS)] == list(SUBJECTS)
    assert found[len(SUBJECTS) :] == ["Inflasi bulanan", "Data desa", "IPM kecamatan"]
    assert len({topic_key(t) for t in found}) == len(found)
    assert suggested(uow, most_asked=1)[len(SUBJECTS) :] == ["Inflasi bulanan"]
