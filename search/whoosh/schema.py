"""The Whoosh schema: one document per publication, with the pages each term is on.

One document per publication: ranking, totals and facets count publications, and a
query walks one posting per publication instead of one per page. Each text group
(title, meta, body) is indexed as exact words, Indonesian or English stems (by the
publication's language) and two- and three-word sequences ("shingles", for phrases),
all without positions so scoring reads small posting blocks.

Page text is also indexed as page sets (``pages_id``/``pages_en``): each word, its
marked stem and its sequences, with the page number as the "position". Read only for
the hits shown, it tells on which pages each word or phrase occurs.

The pages of a publication closed to the public (restricted, embargoed) go to fields of
their own, the ``closed`` group and ``closed_pages_*``, the same in every other way:
a public query never reads them (no hit, no snippet, no suggestion from their words,
and no cost), a staff query adds them to its plan.

Positions inside the analyzers are ``page << PAGE_BITS | word index in page`` so that
sequences never run across a page break.

Whoosh pickles these analyzers into the index: they hold no state and refer only to
module-level functions, so reopening the index needs nothing but this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pickle import dumps

from whoosh import fields, formats
from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.system import pack_uint

from search.analysis import STOPWORDS, TOKEN_PATTERN, stem_english, stem_indonesian
from search.engine import FACET_FIELDS
from search.paged_terms import (
    PAGE_BITS,
    PAGE_END,
    PAGE_START,
    STEM_MARK,
    PagedTerms,
    in_body_exact,
    is_shingleable,
    paged_terms,
)

MAX_PAGE = (1 << (31 - PAGE_BITS)) - 1  # up to 65,535 words a page and 32,767 pages: 31 bits

# Part of the index's name: change it whenever fields or analysis change. An engine
# then starts a new, empty index beside the old one, and the library's index check
# finds every publication missing and indexes them again.
SCHEMA_VERSION = 2
INDEX_NAME = f"pustaka_v{SCHEMA_VERSION}"

TEXT_GROUPS = ("title", "meta", "body")  # what every query searches
CLOSED_GROUP = "closed"  # the body text of closed publications: staff queries only
BODY_GROUPS = ("body", CLOSED_GROUP)
EXACT_FIELDS = tuple(f"{group}_exact" for group in TEXT_GROUPS)
INDONESIAN_FIELDS = tuple(f"{group}_id" for group in TEXT_GROUPS)
ENGLISH_FIELDS = tuple(f"{group}_en" for group in TEXT_GROUPS)
PAGE_FIELDS = ("pages_id", "pages_en")
CLOSED_PAGE_FIELDS = ("closed_pages_id", "closed_pages_en")
# The page fields of each body group, Indonesian then English.
GROUP_PAGE_FIELDS = {"body": PAGE_FIELDS, CLOSED_GROUP: CLOSED_PAGE_FIELDS}


def text_groups(closed_text: bool) -> tuple[str, ...]:
    """Return the text groups a query searches: the closed group only for staff."""
    return (*TEXT_GROUPS, CLOSED_GROUP) if closed_text else TEXT_GROUPS


def page_fields(closed_text: bool) -> tuple[str, ...]:
    """Return the page fields a query reads to locate its words."""
    return PAGE_FIELDS + CLOSED_PAGE_FIELDS if closed_text else PAGE_FIELDS


def paged(parts: Iterable[tuple[int, str]]) -> str:
    """Return texts as one field value that remembers which page each came from."""
    out = []
    for number, text in parts:
        if not 0 <= number <= MAX_PAGE:
            raise ValueError(f"page number {number} is outside 0..{MAX_PAGE}")
        clean = text.replace(PAGE_START, " ").replace(PAGE_END, " ")
        out.append(f"{PAGE_START}{number}{PAGE_END}{clean}")
    return "".join(out)


def split_paged(value: str) -> list[tuple[str, int, int, int]]:
    """Return (word, position, start, end) for each non-stopword of a paged value.

    Whoosh's token by token analysis (queries, highlights); indexing counts terms with
    `search.paged_terms` instead, which finds the same words.
    """
    found = []
    page, index, offset = 0, 0, 0
    for chunk in value.split(PAGE_START):
        if PAGE_END in chunk:
            number, _, chunk_text = chunk.partition(PAGE_END)
            page, index = int(number), 0
            base = offset + len(number) + 1
        else:
            chunk_text, base = chunk, offset
        for match in TOKEN_PATTERN.finditer(chunk_text):
            word = match.group().lower()
            if word not in STOPWORDS and index < (1 << PAGE_BITS):
                position = page << PAGE_BITS | index
                found.append((word, position, base + match.start(), base + match.end()))
                index += 1
        offset += len(chunk) + 1
    return found


class PageTokenizer(Tokenizer):
    """Yield the lower-case non-stopwords of a paged value, positioned by page."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for word, position, start, end in split_paged(value):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            # Always positioned: the sequence filters need positions even where the
            # field stores none.
            token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token

    def counts(self, terms: PagedTerms) -> Mapping[str, int]:
        """Return how many tokens of each text `__call__` yields (see `ListedFrequency`)."""
        return terms.words()


class BodyWordFilter(Filter):
    """Drop the words the scored body field does not index."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for token in tokens:
            if in_body_exact(token.text):
                yield token

    def counts(self, terms: PagedTerms) -> Mapping[str, int]:
        """Return how many tokens of each text the analyzer ending here yields."""
        return terms.body_words()


def shingles(words: list[str] | tuple[str, ...]) -> list[str]:
    """Return the two- and three-word sequences a phrase is looked up by."""
    if len(words) == 2:
        return [" ".join(words)]
    return [" ".join(words[i : i + 3]) for i in range(len(words) - 2)]


class _Sequences:
    """The two- and three-word sequences ending at each word of a token stream."""

    def __init__(self) -> None:
        self.run: list[str] = []  # the last (up to three) consecutive shingleable words
        self.last_pos = -2

    def after(self, word: str, pos: int) -> list[str]:
        """Return the sequences ending at this word."""
        if not is_shingleable(word):
            self.run, self.last_pos = [], -2
            return []
        self.run = [*self.run[-2:], word] if pos == self.last_pos + 1 else [word]
        self.last_pos = pos  # positions jump at a page break, so runs never cross one
        return [" ".join(self.run[-size:]) for size in (2, 3) if len(self.run) >= size]


class ShingleFilter(Filter):
    """Replace words by the two- and three-word sequences ending at them."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        sequences = _Sequences()
        for token in tokens:
            for sequence in sequences.after(token.text, token.pos):
                token.text = sequence
                yield token

    def counts(self, terms: PagedTerms) -> Mapping[str, int]:
        """Return how many tokens of each text the analyzer ending here yields."""
        return terms.sequences()


class WordStemFilter(Filter):
    """Stem words with a module-level stem function and drop numbers and codes."""

    is_morph = True

    def __init__(self, stemfn):
        self.stemfn = stemfn  # pickled by name: it must be a module-level function

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.stemfn is other.stemfn

    def __call__(self, tokens):
        stem = self.stemfn
        for token in tokens:
            # Numbers are the same in the exact field; indexing them twice only costs.
            if token.text.isalpha():
                token.text = stem(token.text)
                yield token

    def counts(self, terms: PagedTerms) -> Mapping[str, int]:
        """Return how many tokens of each text the analyzer ending here yields."""
        return terms.stems(self.stemfn)


class PageTermsFilter(Filter):
    """Replace a page's words by the set of terms that find it, positioned at its number.

    The terms are each word, its stem marked with STEM_MARK when it differs, and the
    two- and three-word sequences: the posting of a term in a publication is then the
    list of its pages, a few bytes where word positions would take kilobytes.
    """

    def __init__(self, stemfn):
        self.stemfn = stemfn  # pickled by name: it must be a module-level function

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.stemfn is other.stemfn

    def __call__(self, tokens):
        stem = self.stemfn
        page = -1
        seen: set[str] = set()
        sequences = _Sequences()
        for token in tokens:
            word, pos = token.text, token.pos
            if pos >> PAGE_BITS != page:
                page, seen = pos >> PAGE_BITS, set()
            terms = [word, *sequences.after(word, pos)]
            if word.isalpha():
                stemmed = stem(word)
                if stemmed != word:
                    terms.append(STEM_MARK + stemmed)
            for term in terms:
                if term not in seen:
                    seen.add(term)
                    token.text, token.pos = term, page
                    yield token

    def positions(self, terms: PagedTerms) -> dict[str, list[int]]:
        """Return the positions `__call__` yields for each term: the pages it is on."""
        return terms.page_sets(self.stemfn)

    def counts(self, terms: PagedTerms) -> Mapping[str, int]:
        """Return how many tokens of each text the analyzer ending here yields."""
        return {term: len(pages) for term, pages in self.positions(terms).items()}


def counted_terms(analyzer, value, method: str):
    """Return the last analyzer part's `method` of a paged value, or None when it has none.

    Counted for a page tokenizer alone or followed by one filter of this module; any other
    analyzer (or value) is left to Whoosh, token by token, as at search time.
    """
    items = getattr(analyzer, "items", [analyzer])
    if not isinstance(value, str) or not isinstance(items[0], PageTokenizer) or len(items) > 2:
        return None
    counted = getattr(items[-1], method, None)
    return counted(paged_terms(value)) if counted is not None else None


class ListedFrequency(formats.Frequency):
    """Whoosh's Frequency, counting a text's terms once per text instead of token by token.

    (Its name is older than the way it counts: indexes name it in their schema.) Indexing
    spent most of its time handing one token object through four generators per word; the
    postings are the same (a test compares them with Whoosh's own).
    """

    def word_values(self, value, analyzer, **kwargs):
        counts = counted_terms(analyzer, value, "counts")
        if counts is None:
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost  # every token's own boost is 1.0
        return [
            (term, count, count * boost, _COUNTS[count] if count < len(_COUNTS) else pack_uint(count))
            for term, count in counts.items()
        ]


class ListedPositions(formats.Positions):
    """Whoosh's Positions, from the pages each term is on (as `ListedFrequency`)."""

    def word_values(self, value, analyzer, **kwargs):
        positions = counted_terms(analyzer, value, "positions")
        if positions is None:
            return super().word_values(value, analyzer, **kwargs)
        boost, encode = self.field_boost, self.encode
        values = []
        for term, found in positions.items():
            # `encode` of one page, without its loop; a new value each time, as `encode` makes:
            # values shared between postings would pickle otherwise in the segment's blocks.
            value = _ONE_POSITION + dumps(found, 2) if len(found) == 1 else encode(found)
            values.append((term, len(found), len(found) * boost, value))
        return values


# Counts' encoded values, made once: most terms occur a few times in a text. (Frequency values
# are joined in a block, so sharing them changes no byte.)
_COUNTS = [pack_uint(count) for count in range(256)]
_ONE_POSITION = pack_uint(1)


def build_schema() -> fields.Schema:
    """Return the schema of a publication index."""
    exact = PageTokenizer()
    stems = {"id": stem_indonesian, "en": stem_english}
    text_fields = {}
    for group in (*TEXT_GROUPS, CLOSED_GROUP):
        # Scored fields keep no positions (TEXT keeps them unless told otherwise): a
        # posting block then holds ids and counts only and is cheap to read.
        exact_words = exact | BodyWordFilter() if group in BODY_GROUPS else exact
        text_fields[f"{group}_exact"] = fields.TEXT(analyzer=exact_words, phrase=False)
        for language, stem in stems.items():
            text_fields[f"{group}_{language}"] = fields.TEXT(
                analyzer=exact | WordStemFilter(stem), phrase=False
            )
        text_fields[f"{group}_shingles"] = fields.TEXT(analyzer=exact | ShingleFilter(), phrase=False)
    for language, stem in stems.items():
        # Only read for the hits shown, to tell on which pages their words are.
        for prefix in ("", f"{CLOSED_GROUP}_"):
            text_fields[f"{prefix}pages_{language}"] = fields.TEXT(
                analyzer=exact | PageTermsFilter(stem), phrase=True
            )
    for field in text_fields.values():  # the same postings, counted from lists
        listed = ListedPositions if isinstance(field.format, formats.Positions) else ListedFrequency
        field.format = listed(field_boost=field.format.field_boost)
    facets = {name: fields.ID() for name in FACET_FIELDS}
    return fields.Schema(
        publication_id=fields.ID(stored=True, unique=True, sortable=True),
        fingerprint=fields.STORED(),
        title=fields.STORED(),
        abstract=fields.STORED(),
        language_code=fields.STORED(),
        identifiers=fields.KEYWORD(lowercase=True, scorable=True),
        newest=fields.NUMERIC(int, bits=32, sortable=True),
        **text_fields,
        **facets,
    )
