"""Resolve a query's clauses against an engine's vocabulary, the same way in every engine.

The clauses are parsed from what was typed (`search/clauses.py`). Engines resolve them against
their vocabulary: a prefix becomes the words it starts, a place name typed apart or together
is searched as the index knows it, and a word the index does not know (a typo, or a rare OCR
misspelling of a common word) also matches its near neighbours. What a query names besides
(years, places, words side by side) is read here for the engines' ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from search.analysis import stem_english, stem_indonesian
from search.clauses import Clause
from search.typing_slips import edit_distance, max_edits
from search.word_forms import other_forms

MAX_PREFIX_TERMS = 50
MIN_FUZZY_LENGTH = 4
MAX_FUZZY_TERMS = 5
# What one query may cost, whatever is typed (a query of prefixes and misspelt words took 1.7 s,
# 4.8 s on an OCR-sized vocabulary): only the first MAX_CORRECTED words a query does not know are
# looked up for their likely corrections (its clauses and prefixes are bounded as it is parsed,
# `clauses.MAX_CLAUSES` and `clauses.MAX_PREFIXES`).
MAX_CORRECTED = 3
MIN_SPLIT_PART = 3  # letters of each part of a word typed together that the index knows as two
MAX_FUZZY_WORD = 30  # a longer "word" is no typo of anything: never looked up for corrections
# A known word this rare next to a neighbour this much more frequent is probably an
# OCR or typing slip of that neighbour ("pendudk" on one page, "penduduk" on thousands).
RARE_DOC_FREQUENCY = 2
NEIGHBOUR_FACTOR = 20

# What a clause made only of place names weighs beside a topic's: a place narrows the answers
# ("pendidikan sumatera selatan": education, in that province), the topic ranks them, so a
# publication about education in a city of the province beats the province's yearbook.
QUIET = 0.25


@dataclass(frozen=True)
class Resolved:
    """A clause with the exact words and stems that satisfy it in this index."""

    clause: Clause
    exact: frozenset[str]
    stems_id: frozenset[str] = frozenset()
    stems_en: frozenset[str] = frozenset()

    @property
    def sequence(self) -> tuple[str, ...]:
        """Return the words that must follow each other (empty unless a phrase)."""
        return self.clause.words if len(self.clause.words) > 1 else ()


class Vocabulary(Protocol):
    """The words an engine has indexed, for prefixes, typos and suggestions."""

    def doc_frequency(self, word: str) -> int:
        """Return in how many publications the exact word occurs.

        Only whether it passes RARE_DOC_FREQUENCY matters beyond that: an engine may answer any
        count above it (PostgreSQL counts to RARE_DOC_FREQUENCY + 1 and stops).
        """

    def stem_known(self, word: str) -> bool:
        """Return whether any publication has a word with this word's stem."""

    def prefixed(self, prefix: str, limit: int) -> list[str]:
        """Return up to `limit` words starting with prefix, most frequent first."""

    def near(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        """Return (word, doc frequency) for words within maxdist edits, same first letter."""


def joined_words(clauses: list[Clause], vocabulary: Vocabulary) -> list[Clause]:
    """Join two typed words into the one word the index knows when either is unknown alone.

    Place names are written both ways ("Rawa Jitu" for "Rawajitu", "Lubuk Linggau" for
    "Lubuklinggau"): "rawa jitu timur" then searches "rawajitu timur".
    """
    joined: list[Clause] = []
    for clause in clauses:
        if joined and _one_word(joined[-1], clause, vocabulary):
            first = joined[-1]
            word, typed = first.words[0] + clause.words[0], f"{first.typed} {clause.typed}"
            joined[-1] = Clause("word", (word,), typed=typed, at=first.at + clause.at)
        else:
            joined.append(clause)
    return joined


def spaced_words(clauses: list[Clause], vocabulary: Vocabulary) -> list[Clause]:
    """Return the clauses with words matched across spacing, both ways (place names most often).

    Two typed words the index knows only as one are that one (`joined_words`: "rawa jitu"),
    and one typed word the index knows only as two is those two, as if typed apart (`split_word`:
    "metropusat" is "metro pusat", "angkatankerja" "angkatan kerja"; side by side they rank first).
    """
    spaced: list[Clause] = []
    # Each try looks up every way to cut the word: MAX_CORRECTED distinct words a query, as corrections.
    tried: dict[str, tuple[str, str] | None] = {}
    for clause in joined_words(clauses, vocabulary):
        parts = None
        if clause.kind == "word":
            word = clause.words[0]
            if word in tried:
                parts = tried[word]
            elif len(tried) < MAX_CORRECTED and _splittable(word, vocabulary):
                parts = tried[word] = split_word(word, vocabulary)
        parted = [Clause("word", (part,), typed=clause.typed, at=clause.at) for part in parts or ()]
        spaced.extend(parted or [clause])
    return spaced


def _splittable(word: str, vocabulary: Vocabulary) -> bool:
    """Tell whether a typed word may be two known words written together: unknown, letters only."""
    fits = word.isalpha() and 2 * MIN_SPLIT_PART <= len(word) <= MAX_FUZZY_WORD
    return fits and _unknown(word, vocabulary)


def split_word(word: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """Return the two known words a typed word (`_splittable`) is, written together (None: none).

    Each part has MIN_SPLIT_PART letters at least; of several ways, the one whose rarer part is
    the more common (the likelier words), then the more even one.
    """
    ways = []
    for at in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
        head, tail = word[:at], word[at:]
        head_count = vocabulary.doc_frequency(head)  # the tail looked up only after a known head
        tail_count = vocabulary.doc_frequency(tail) if head_count else 0
        if head_count and tail_count:
            ways.append((min(head_count, tail_count), -abs(len(head) - len(tail)), head, tail))
    if not ways:
        return None
    _, _, head, tail = max(ways)
    return head, tail


def _one_word(first: Clause, second: Clause, vocabulary: Vocabulary) -> bool:
    """Tell whether two word clauses are one word the index knows, typed apart."""
    if not first.kind == second.kind == "word":
        return False
    a, b = first.words[0], second.words[0]
    if not (a.isalpha() and b.isalpha()) or (vocabulary.doc_frequency(a) and vocabulary.doc_frequency(b)):
        return False
    return vocabulary.doc_frequency(a + b) > 0


def years(resolved: list[Resolved]) -> frozenset[str]:
    """Return the years a query names (1900-2099), as the year facet writes them."""
    return frozenset(
        word
        for item in resolved
        for word in item.clause.words
        if len(word) == 4 and word[:2] in ("19", "20")
        if word.isdigit()
    )


def is_quiet(item: Resolved, quiet: frozenset[str]) -> bool:
    """Tell whether a clause names only places (`Query.quiet`): it must match but weighs little."""
    return bool(quiet) and bool(item.clause.words) and all(word in quiet for word in item.clause.words)


def quiet_pair(pair: str, quiet: frozenset[str]) -> bool:
    """Tell whether a pair of words side by side (`proximity`) names a place only: it weighs QUIET."""
    return all(word in quiet for word in pair.split())


def proximity(resolved: list[Resolved]) -> tuple[str, ...]:
    """Return the pairs of typed words next to each other ("kota metro"): a title or abstract that
    has them side by side ranks above one that has them apart (they are never required)."""
    pairs = []
    for first, second in zip(resolved, resolved[1:], strict=False):
        if first.clause.kind == second.clause.kind == "word":
            pair = (first.clause.words[0], second.clause.words[0])
            if all(word.isalpha() for word in pair):
                pairs.append(" ".join(pair))
    return tuple(dict.fromkeys(pairs))


def resolve(
    clauses: list[Clause], vocabulary: Vocabulary, known: frozenset[str] = frozenset()
) -> list[Resolved]:
    """Resolve each clause to the words and stems that satisfy it (corrections for MAX_CORRECTED words).

    A place name typed apart or together where the index knows it the other way is searched as
    the index knows it (`spaced_words`). A `known` word (`Query.known`) is no misspelling: it
    gets no corrections.
    """
    resolved = []
    looked_up = 0
    for clause in spaced_words(clauses, vocabulary):
        if clause.kind == "prefix":
            exact = frozenset(vocabulary.prefixed(clause.words[0], MAX_PREFIX_TERMS))
            resolved.append(Resolved(clause, exact))
        elif clause.kind == "word":
            word = clause.words[0]
            others = other_forms(word)  # a short form ("agst") is no misspelling either
            typo = not (word in known or others)
            neighbours = _neighbours(word, vocabulary, looked_up < MAX_CORRECTED) if typo else None
            looked_up += neighbours is not None
            forms = (*others, *formal_forms(word, vocabulary))
            exact = frozenset({word, *(neighbours or ()), *forms})
            stems_id = frozenset({stem_indonesian(w) for w in exact})
            stems_en = frozenset({stem_english(w) for w in exact})
            resolved.append(Resolved(clause, exact, stems_id, stems_en))
        else:  # phrases and identifiers' own words match exactly, in order
            resolved.append(Resolved(clause, frozenset(clause.words)))
    return resolved


def formal_forms(word: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    """Return the written verb a spoken one stands for, if the index knows it and not the word.

    Spoken Indonesian drops the "me-" of a verb and keeps its nasal: "nganggur" is "menganggur",
    "nulis" "menulis", "nyanyi" "menyanyi", "ngecek" "mengecek", "mbayar" "membayar", "nyari"
    "mencari"; and says "-in" for "-kan" or "-i": "dikeluarin" is "dikeluarkan", "ngurangin"
    "mengurangi".
    """
    spoken = word[:1] in ("n", "m") or word.endswith("in")
    if not spoken or not word.isalpha() or len(word) < MIN_FUZZY_LENGTH or not _unknown(word, vocabulary):
        return ()
    stems = [word, *((word[:-2] + "kan", word[:-2] + "i") if word.endswith("in") else ())]
    written = [*stems]
    for stem in stems:
        if stem[:1] in ("n", "m"):
            written.append("me" + stem)
        if stem.startswith("ny"):
            written.append("menc" + stem[2:])
    return tuple(form for form in written[1:] if not _unknown(form, vocabulary))


def _may_look_up(word: str) -> bool:
    """Tell whether a word is one whose corrections may be looked up (a cost counted per query)."""
    return MIN_FUZZY_LENGTH <= len(word) <= MAX_FUZZY_WORD and word.isalpha()


def _neighbours(word: str, vocabulary: Vocabulary, may_look_up: bool = True) -> list[str] | None:
    """Return the known words a possibly misspelt word should also match (None: none looked up).

    Only a word unknown or rare in the index is looked up, and only while `may_look_up`.
    """
    if not _may_look_up(word):
        return None
    frequency = vocabulary.doc_frequency(word)
    if frequency == 0 and vocabulary.stem_known(word):
        return None  # an unseen form of a known word: stemming already finds it
    if frequency > RARE_DOC_FREQUENCY or not may_look_up:
        return None
    if frequency == 0:
        # An unknown word: `suggest` looks for its corrections within 2 edits too, so the
        # same lookup (kept by the vocabulary) serves both, narrowed here to this word's edits.
        edits = max_edits(word)
        near = [(w, df) for w, df in vocabulary.near(word, 2) if edit_distance(word, w) <= edits]
    else:
        near = vocabulary.near(word, max_edits(word))
    floor = frequency * NEIGHBOUR_FACTOR or 1
    near = [(w, df) for w, df in near if w != word and df >= floor]
    near.sort(key=lambda pair: (-pair[1], pair[0]))
    return [w for w, _ in near[:MAX_FUZZY_TERMS]]


def suggest(clauses: list[Clause], vocabulary: Vocabulary, known: frozenset[str] = frozenset()) -> str | None:
    """Return the query with unknown words replaced by the closest known ones, if any.

    A `known` word (`Query.known`: the glossary's) stays as typed, though the index lacks it.
    """
    clauses = spaced_words(clauses, vocabulary)  # "rawa jitu" is "rawajitu", no misspelling
    changed = False
    parts = []
    looked_up = 0
    for clause in clauses:
        if clause.kind == "phrase":
            parts.append('"' + " ".join(clause.words) + '"')
            continue
        word = clause.words[0] if clause.words else ""
        fits = word.isalpha() and len(word) <= MAX_FUZZY_WORD and looked_up < MAX_CORRECTED
        if (
            clause.kind == "word"
            and fits
            and word not in known
            and not other_forms(word)
            and _unknown(word, vocabulary)
        ):
            looked_up += 1
            candidates = vocabulary.near(word, 2)
            if candidates:
                word = min(candidates, key=lambda pair: (edit_distance(word, pair[0]), -pair[1]))[0]
                changed = True
        if clause.kind == "identifier":
            word = clause.typed
        parts.append(word + ("*" if clause.kind == "prefix" else ""))
    return " ".join(parts) if changed else None


def _unknown(word: str, vocabulary: Vocabulary) -> bool:
    """Return whether neither the word nor its stem occurs anywhere."""
    return vocabulary.doc_frequency(word) == 0 and not vocabulary.stem_known(word)
