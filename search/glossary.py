"""The glossary and the places: the other names a publication is found under.

A publication is indexed under every form of each concept it names (Indonesian terms,
abbreviations, English terms: `catalog_data/glossary.toml`) and under the names of the places it
belongs to (its office's area and that area's province), so a query in either language, by an
abbreviation, or by a province finds it. A concept named in the title (or English title) is
indexed at title weight; one named only in the subject or abstract, and the places, at the
abstract's weight. Indonesian forms are analysed as Indonesian, English forms as English,
whatever the publication's language.

Matching is on the analysed words (`analysis.words`: lower case, stopwords out), a term of
several words as those words in that order. Pure functions on plain values: the library builds
the glossary from the data and asks for a publication's terms when it indexes it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from search.analysis import is_english, words
from search.engine import PublicationDoc
from search.word_forms import PLACE_KINDS

VERSION = 2  # raise when what the engines index from the same data changes (2: subjects' English names)


@dataclass(frozen=True)
class Concept:
    """One idea in its forms: Indonesian terms, abbreviations, English terms."""

    id: tuple[str, ...]
    en: tuple[str, ...]
    abbr: tuple[str, ...] = ()
    # What BPS's definition of the concept names as its members ("perkebunan": karet, kelapa
    # sawit, kopi ...), in everyday words: a publication naming the concept is also indexed under
    # them, at the abstract's weight, one way only (naming "karet" says nothing of "kopi").
    related: tuple[str, ...] = ()
    related_en: tuple[str, ...] = ()

    def forms(self) -> tuple[str, ...]:
        """Return every form a publication naming the concept is recognised by."""
        return (*self.id, *self.abbr, *self.en)


@dataclass(frozen=True)
class Place:
    """An area by its BPS code (2 digits: a province, 4: a regency or city) and its names."""

    code: str
    names: tuple[str, ...]
    en: tuple[str, ...] = ()
    # Its mottos ("Bumi Sriwijaya"): a query naming one in full asks for the place (`named_places`),
    # but they index nothing, and their words are no place words: "hasil bumi" is farm produce.
    nicknames: tuple[str, ...] = ()


@dataclass(frozen=True)
class Terms:
    """What a publication is also indexed under, by weight and language."""

    title: str = ""  # Indonesian forms and abbreviations, at title weight
    title_en: str = ""
    meta: str = ""  # at the abstract's weight: concepts of its abstract and subject, its places
    meta_en: str = ""


@dataclass(frozen=True)
class Glossary:
    """The concepts and places of the data, ready to match publications against."""

    concepts: tuple[Concept, ...] = ()
    places: tuple[Place, ...] = ()
    _forms: tuple[tuple[tuple[str, ...], int], ...] = field(default=(), compare=False, repr=False)
    _place_forms: tuple[tuple[tuple[str, ...], int], ...] = field(default=(), compare=False, repr=False)
    _place_words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    _words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    _nicknames: tuple[tuple[re.Pattern[str], str], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        forms = [
            (tuple(words(form)), index)
            for index, concept in enumerate(self.concepts)
            for form in concept.forms()
        ]
        object.__setattr__(self, "_forms", tuple((seq, index) for seq, index in forms if seq))
        places = [
            (tuple(words(name)), i)
            for i, place in enumerate(self.places)
            for name in (*place.names, *place.en)
        ]
        object.__setattr__(self, "_place_forms", tuple((seq, index) for seq, index in places if seq))
        named_places = frozenset(word for seq, _ in places for word in seq)
        # "kab. tulang bawang" names the place as "kabupaten tulang bawang" does
        shortened = frozenset(short for short, word in PLACE_KINDS.items() if word in named_places)
        object.__setattr__(self, "_place_words", named_places | shortened)
        related = (
            word for c in self.concepts for term in (*c.related, *c.related_en) for word in words(term)
        )
        named = frozenset(word for seq, _ in self._forms for word in seq)
        object.__setattr__(self, "_words", self._place_words | named | frozenset(related))
        # The longest first: "Sang Bumi Ruwa Jurai" before "Ruwa Jurai".
        nicknames = sorted(
            (
                (words(nickname), place.names[0])
                for place in self.places
                if place.names
                for nickname in place.nicknames
            ),
            key=lambda pair: -len(pair[0]),
        )
        patterns = [
            (re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, said)) + r"(?!\w)", re.IGNORECASE), name)
            for said, name in nicknames
            if said
        ]
        object.__setattr__(self, "_nicknames", tuple(patterns))

    @property
    def place_words(self) -> frozenset[str]:
        """Return the words of every place's names, and the short forms of the place kinds among them
        ("kab" where a name says "kabupaten"): what a query's place clauses are made of."""
        return self._place_words

    @property
    def words(self) -> frozenset[str]:
        """Return every word of the concepts' forms and members and of the places' names.

        They are the domain's own words: a query's word among them is never "corrected" into
        another word, even where this catalogue holds none of it ("jatim" is not "jam").
        """
        return self._words

    @property
    def signature(self) -> str:
        """Return a short digest of the glossary and of this module's rules (an index's first letters)."""
        digest = hashlib.sha256(repr((VERSION, self.concepts, self.places)).encode())
        return digest.hexdigest()[:8]

    def named_places(self, text: str) -> str:
        """Return a query with each place's nickname typed in full written as the place's first name
        ("bumi sriwijaya dalam angka": "Sumatera Selatan dalam angka")."""
        for pattern, name in self._nicknames:
            text = pattern.sub(name, text)
        return text

    def named_in(self, text: str, *, places: bool = False) -> set[int]:
        """Return the indexes of the concepts (or the places) whose forms occur in the text."""
        found = tuple(words(text))
        if not found:
            return set()
        forms = self._place_forms if places else self._forms
        return {index for sequence, index in forms if _occurs(sequence, found)}

    def terms(self, title: Sequence[str], described: Sequence[str], office_code: str = "") -> Terms:
        """Return what a publication is also indexed under: concepts of its titles, of its other
        descriptions (subject, abstract), and the places of its office."""
        in_title = set().union(*(self.named_in(text) for text in title)) if title else set()
        in_text = set().union(*(self.named_in(text) for text in described)) if described else set()
        in_text -= in_title
        # The places the title names weigh as the title; the office's others as the abstract.
        titled = set().union(*(self.named_in(text, places=True) for text in title)) if title else set()
        ours = {i for i, p in enumerate(self.places) if office_code and office_code.startswith(p.code)}
        places = [self.places[i] for i in sorted(ours - titled)]
        named = [self.places[i] for i in sorted(titled)]
        return Terms(
            title=_join(
                [form for i in sorted(in_title) for form in (*self.concepts[i].id, *self.concepts[i].abbr)]
                + [name for place in named for name in place.names]
            ),
            title_en=_join(
                [form for i in sorted(in_title) for form in self.concepts[i].en]
                + [name for place in named for name in place.en]
            ),
            meta=_join(
                [form for i in sorted(in_text) for form in (*self.concepts[i].id, *self.concepts[i].abbr)]
                + [word for i in sorted(in_title | in_text) for word in self.concepts[i].related]
                + [name for place in places for name in place.names]
            ),
            meta_en=_join(
                [form for i in sorted(in_text) for form in self.concepts[i].en]
                + [word for i in sorted(in_title | in_text) for word in self.concepts[i].related_en]
                + [name for place in places for name in place.en]
            ),
        )


def indexed_texts(doc: PublicationDoc) -> dict[str, dict[str, list[tuple[int, str]]]]:
    """Return the title's and the metadata's texts by the language they are analysed in.

    The publication's own texts in its language; the English title also as English (an
    Indonesian publication's alternative title is its English one); the glossary's and the
    places' forms (`search.glossary`) each in their own language, whatever the publication's.
    """
    own = "en" if is_english(doc.language) else "id"
    title = [(0, doc.title), (1, doc.alternative_title)]
    meta = [(0, doc.abstract), (1, doc.subject), (2, doc.office_name)]
    groups: dict[str, dict[str, list[tuple[int, str]]]] = {
        "title": {"id": [], "en": []},
        "meta": {"id": [], "en": []},
    }
    groups["title"][own] += title
    groups["meta"][own] += meta
    if own == "id" and doc.alternative_title:
        groups["title"]["en"].append((1, doc.alternative_title))
    for group, number, indonesian, english in (
        ("title", 2, doc.title_terms, doc.title_terms_en),
        ("meta", 3, doc.meta_terms, doc.meta_terms_en),
    ):
        if indonesian:
            groups[group]["id"].append((number, indonesian))
        if english:
            groups[group]["en"].append((number + 1, english))
    return groups


def _occurs(sequence: tuple[str, ...], found: tuple[str, ...]) -> bool:
    """Tell whether the words occur in this order, next to each other, among the found words."""
    size = len(sequence)
    if size == 1:
        return sequence[0] in found
    first = sequence[0]
    return any(found[i : i + size] == sequence for i, word in enumerate(found) if word == first)


def _join(forms: Iterable[str]) -> str:
    """Return the forms as one text, each once, in order (the dots are for a person reading it: the
    analysis drops them, so two neighbouring forms also make a sequence, a harmless extra)."""
    return " . ".join(dict.fromkeys(forms))
