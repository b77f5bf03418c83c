"""What one query may cost is bounded, whatever is typed: clauses, prefixes, corrections looked up."""

from __future__ import annotations

import pytest

from search.clauses import MAX_CLAUSES, MAX_PREFIXES, MAX_READ, fitted, parse
from search.querying import MAX_CORRECTED, resolve, suggest
from tests.unit.search.test_search_querying import FakeVocabulary

pytestmark = pytest.mark.unit


class CountingVocabulary(FakeVocabulary):
    """Counts the costly lookups: corrections (`near`) and prefix expansions."""

    def __init__(self, **frequency: int) -> None:
        super().__init__(**frequency)
        self.near_calls = 0
        self.prefix_calls = 0

    def near(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        self.near_calls += 1
        return super().near(word, maxdist)

    def prefixed(self, prefix: str, limit: int) -> list[str]:
        self.prefix_calls += 1
        return super().prefixed(prefix, limit)


def test_the_clauses_beyond_the_limit_are_left_out() -> None:
    clauses = parse(" ".join(f"kata{n}x" for n in range(40)))
    assert len(clauses) == MAX_CLAUSES
    assert clauses[0].words == ("kata0x",)


def test_a_greeting_and_thanks_around_a_question_do_not_use_up_its_clauses() -> None:
    typed = (
        "selamat siang kak mau tanya dong kalau cari angka kemiskinan kabupaten tulang bawang terbaru"
        " sama karakteristik rumah tangga miskinnya ada ga ya di perpus ini makasih"
    )
    words = [word for clause in parse(typed) for word in clause.words]
    assert words == [
        "kemiskinan",
        "kabupaten",
        "tulang",
        "bawang",
        "karakteristik",
        "rumah",
        "tangga",
        "miskinnya",
    ]
    # What is read stays bounded (MAX_READ): a word past a flood of thanks is not reached.
    assert [c.words for c in parse(" ".join(["makasih"] * (MAX_READ - 1) + ["kemiskinan"]))] == [
        ("kemiskinan",)
    ]
    flood = parse(" ".join(["makasih"] * MAX_READ + ["kemiskinan"]))
    assert len(flood) == MAX_CLAUSES and {clause.words for clause in flood} == {("makasih",)}


def test_a_series_name_cut_in_two_by_the_limit_leaves_no_lone_preposition() -> None:
    topic = [f"kata{n}x" for n in range(MAX_CLAUSES - 1)]
    assert [c.words[0] for c in parse(" ".join([*topic, "dalam", "angka"]))] == topic
    assert [c.words[0] for c in parse(" ".join([*topic[:-1], "dalam", "angka"]))] == [
        *topic[:-1],
        "dalam",
        "angka",
    ]


def test_a_question_too_long_for_the_limit_keeps_its_place_year_and_series_before_its_other_words() -> None:
    chatter = [f"kata{n}x" for n in range(MAX_CLAUSES)]
    typed = " ".join(["kemiskinan", *chatter, "kota", "metro", "dalam", "angka", "2024?"])

    kept = [clause.typed for clause in parse(fitted(typed, frozenset({"kemiskinan", "kota", "metro"})))]

    # Six clauses the domain knows (the series' name whole), then the first of the others, as typed.
    assert kept == ["kemiskinan", *chatter[:6], "kota", "metro", "dalam", "angka", "2024"]
    assert fitted(" ".join(chatter), frozenset()) == " ".join(chatter)  # none known: the first twelve
    assert fitted(typed[:40], frozenset()) == typed[:40]  # within the limit: as typed
    quoted = f'"{typed}"'
    assert fitted(quoted, frozenset({"metro"})) == quoted  # a quoted phrase asks for exactly what it quotes


def test_prefixes_beyond_the_limit_are_searched_as_words() -> None:
    vocabulary = CountingVocabulary(penduduk=9, pendapatan=9, perumahan=9, pertanian=9)
    clauses = parse("pend* perum* pert* penduduk*")
    assert [c.kind for c in clauses] == ["prefix"] * MAX_PREFIXES + ["word"] * (4 - MAX_PREFIXES)
    resolve(clauses, vocabulary)
    assert vocabulary.prefix_calls == MAX_PREFIXES


def test_only_the_first_unknown_words_are_looked_up_for_corrections() -> None:
    vocabulary = CountingVocabulary(penduduk=90, kemiskinan=90)
    misspelt = "pendudk kemiskinn abcdefg hijklmn opqrstu vwxyzab"
    resolved = resolve(parse(misspelt), vocabulary)
    assert vocabulary.near_calls == MAX_CORRECTED
    assert "penduduk" in resolved[0].exact and "kemiskinan" in resolved[1].exact
    vocabulary.near_calls = 0
    suggest(parse(misspelt), vocabulary)
    assert vocabulary.near_calls == MAX_CORRECTED


def test_known_words_do_not_use_up_the_corrections() -> None:
    vocabulary = CountingVocabulary(penduduk=90, kemiskinan=90, inflasi=90, ekspor=90, pendapatan=90)
    resolved = resolve(parse("penduduk kemiskinan inflasi ekspor pendapatn"), vocabulary)
    assert "pendapatan" in resolved[-1].exact  # the fifth word, the only one misspelt, is corrected


def test_a_very_long_word_is_never_looked_up() -> None:
    vocabulary = CountingVocabulary(penduduk=90)
    resolve(parse("a" * 31), vocabulary)
    assert vocabulary.near_calls == 0
