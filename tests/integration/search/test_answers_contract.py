"""Contract: the knowledge base's answers index, on Whoosh and on PostgreSQL alike."""

from __future__ import annotations

import pytest

from search.answers import AnswerDoc
from search.postgres.answers import PostgresAnswerIndex
from search.whoosh.answers import WhooshAnswerIndex
from tests.conftest import postgres_schema

pytestmark = pytest.mark.integration
POVERTY = AnswerDoc("1", "Di mana data kemiskinan per kecamatan?", "Kemiskinan", "Lihat tabel 3.1.")
INFLATION = AnswerDoc("2", "Inflasi bulanan", "Harga", "Lihat BRS inflasi; data kemiskinan ada di Susenas.")
POPULATION = AnswerDoc("3", "Jumlah penduduk", "Kependudukan", "Lihat publikasi Dalam Angka.")


@pytest.fixture(params=["whoosh", "postgres"])
def answers(request, tmp_path):
    """Return an empty answers index of each kind (PostgreSQL's in a schema of its own)."""
    if request.param == "whoosh":
        index = WhooshAnswerIndex(tmp_path / "answers")
        yield index
        index.close()
    else:
        with postgres_schema("answers_test", migrated=False) as url:
            index = PostgresAnswerIndex(url)
            yield index
            index.close()


def found(answers, words: str) -> list[str]:
    return [hit.answer_id for hit in answers.search(words)]


def test_an_answer_is_found_by_the_stem_of_a_word_and_a_word_in_the_question_weighs_most(answers) -> None:
    answers.index([INFLATION, POVERTY, POPULATION])
    assert found(answers, "miskin") == ["1", "2"]  # kemiskinan -> miskin; in the question first
    assert found(answers, "harga") == ["2"]  # a topic's word


def test_words_no_answer_holds_find_nothing_and_a_limit_is_kept(answers) -> None:
    answers.index([INFLATION, POVERTY, POPULATION])
    assert found(answers, "zqxjvw kapal") == []
    assert found(answers, "yang dan di") == []  # stopwords only
    assert len(answers.search("lihat", limit=2)) == 2
    assert answers.search("lihat", limit=0) == []


def test_an_answer_indexed_again_replaces_the_old_and_deleted_or_cleared_ones_are_gone(answers) -> None:
    answers.index([POVERTY, INFLATION])
    answers.index([AnswerDoc("1", "Data ekspor", "Perdagangan", "Lihat BRS ekspor.")])
    assert found(answers, "kecamatan") == []
    assert found(answers, "ekspor") == ["1"]
    answers.delete(["2", "404"])
    assert answers.ids() == {"1"}
    answers.clear()
    assert answers.ids() == set() and found(answers, "ekspor") == []
