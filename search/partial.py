"""A query no publication answers whole, or too few do, answered without one of its typed pieces.

"poverty rate" where the catalogue says "persentase penduduk miskin", or a long, precise query
with one word nowhere ("keadaan angkatan kerja metro agustus 2024 triwulan"): rather than
nothing, the publications holding every clause but one piece's, for the piece whose omission
gives the best-scoring publication, saying which piece (`SearchResults.left_out`, as typed).

Each engine counts, in the pass that scores the query, which clauses every publication holds, and
answers from that count: no search per piece left out. A piece is what one typed word became: one
clause, a word the index knows only as two (`querying.split_word`: "metropusat", two clauses), or
two typed words it knows as one ("rawa jitu", one clause); the publications without it are
ranked as the query without it would rank them (its other clauses, the pairs of words side by
side once it is gone, the years the rest names).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from search.analysis import words
from search.clauses import Clause, ends_series
from search.engine import Hit, Query, SearchResults
from search.querying import Resolved
from search.word_forms import MONTHS, PLACE_KINDS, other_forms

# A query of fewer pieces has nothing left without one. There is no upper bound: the answer costs
# one count whatever the number of pieces (it was a search per piece, so up to 8 of them).
PARTIAL_FROM = 2
# A query that even without any one piece finds nothing is searched once more without each piece
# in turn (`most_words`), each of those answered without one more piece: a sentence typed in
# full ("saya perlu data luas panen jagung dan kedelai di tulang bawang untuk tugas akhir") holds
# more than one word no publication has. From this many pieces; the searches it costs are bounded
# by the clauses a query may have (`clauses.MAX_CLAUSES`), and only a search finding nothing pays.
MOST_WORDS_FROM = 3
# A sentence nothing answers even without two pieces ("halo min, buku kota metro dalam angka bisa
# dipinjam bawa pulang gak?") is answered by the publications holding the most of its pieces
# (`fewest_left_out`), as Solr's minimum-should-match lets most words suffice: at least this many.
LEAST_HELD = 2


@dataclass(frozen=True)
class Omission:
    """One way to answer a query in part: every clause but those of one typed piece."""

    left_out: tuple[int, ...]  # the indexes of the piece's clauses in the resolved query
    typed: tuple[str, ...]  # the piece's words as typed
    rest: list[Resolved]  # the clauses that must all match
    where: frozenset[int]  # where the piece was typed (`Clause.at`)
    odd: bool = False  # none of its words is the domain's (`Query.known`): left out first (`chosen`)
    place: bool = False  # its words are all a place's (`Query.quiet`): kept where another may go

    def without(self, clauses: Sequence[Clause]) -> list[Clause]:
        """Return the parsed clauses but the piece's: what the query without it parses to."""
        return [clause for clause in clauses if not self.where.intersection(clause.at)]


def pieces(resolved: Sequence[Resolved]) -> list[tuple[int, ...]]:
    """Return the indexes of the resolved clauses, grouped by the typed piece each comes from.

    A series' name is one piece ("dalam angka": "angka" alone asks for nothing, `GENERIC_WORDS`).
    """
    grouped: list[tuple[int, ...]] = []
    for index, item in enumerate(resolved):
        before = resolved[index - 1].clause if index else None
        split = before is not None and item.clause.at and item.clause.at == before.at
        if split or ends_series(before, item.clause):
            grouped[-1] += (index,)
        else:
            grouped.append((index,))
    return grouped


def omissions(
    text: str,
    resolved: Sequence[Resolved],
    known: frozenset[str] = frozenset(),
    quiet: frozenset[str] = frozenset(),
) -> list[Omission]:
    """Return the ways a query may be answered without one of its pieces, in the order typed.

    None for a query of fewer than PARTIAL_FROM pieces, or with a quoted phrase: whoever quotes
    words asks for exactly them. A piece none of whose words is `known` (the glossary's, places'
    included) is odd: "live" in "how many people live in lubuklinggau". A piece all of whose words
    are `quiet` is a place.
    """
    grouped = pieces(resolved)
    if '"' in text or len(grouped) < PARTIAL_FROM:
        return []
    found = []
    for indexes in grouped:
        typed = " ".join(dict.fromkeys(resolved[i].clause.typed for i in indexes)).split()
        rest = [item for index, item in enumerate(resolved) if index not in indexes]
        where = frozenset(at for index in indexes for at in resolved[index].clause.at)
        odd = bool(known) and not any(_known(word, known) for i in indexes for word in _forms(resolved[i]))
        place = all(word in quiet for i in indexes for word in resolved[i].clause.words)
        found.append(Omission(indexes, tuple(typed), rest, where, odd, place))
    return found


def _forms(item: Resolved) -> frozenset[str]:
    """Return the words a resolved clause stands for: as typed, its other forms and corrections."""
    return frozenset(item.clause.words) | item.exact


def _known(word: str, known: frozenset[str]) -> bool:
    """Tell whether a word is the domain's: the glossary's, a number or a month's (`word_forms`)."""
    return word in known or word.isdigit() or word in MONTHS or bool(other_forms(word))


def chosen(best: Sequence[float | None], ways: Sequence[Omission] = ()) -> int | None:
    """Return which omission to answer with: of the odd pieces' (`Omission.odd`) if any answers,
    else of all; of those, one keeping every place typed (`Omission.place`: the figures asked
    for are the place's) if any; then the one whose best publication scores highest.

    `best` holds each omission's best score (None: no publication holds every other clause); of
    equal scores, the piece typed first.
    """
    answering = [index for index, score in enumerate(best) if score is not None]
    odd = [index for index in answering if ways and ways[index].odd]
    pool = odd or answering
    pool = [index for index in pool if not (ways and ways[index].place)] or pool
    return max(pool, key=lambda index: (best[index], -index)) if pool else None


def fewest_left_out(
    resolved: Sequence[Resolved],
    ways: Sequence[Omission],
    found: Iterable[tuple[int, float]],
) -> Omission | None:
    """Return the query without the pieces the publications holding the most of them lack (`Query.most`).

    `found` holds, for the publications that may be listed, which pieces each holds (bit k: the
    piece `ways[k]` leaves out) and its score over what it holds. A publication keeping every
    place typed (`Omission.place`) wins, as in `most_words`; then one holding more pieces
    (at least LEAST_HELD, not all); then, as `chosen` chooses one piece, one lacking only odd
    pieces (`Omission.odd`); then the best-scoring; of equal scores, the lower bits. None when
    no publication holds enough.
    """
    places = [k for k, way in enumerate(ways) if way.place]
    best: tuple[bool, int, bool, float, int] | None = None
    for held, score in found:
        count = held.bit_count()
        if count < LEAST_HELD or count == len(ways):
            continue
        odd = all(way.odd for k, way in enumerate(ways) if not held >> k & 1)
        key = (all(held >> k & 1 for k in places), count, odd, score, -held)
        if best is None or key > best:
            best = key
    if best is None:
        return None
    missing = [way for k, way in enumerate(ways) if not -best[4] >> k & 1]
    left_out = tuple(sorted(index for way in missing for index in way.left_out))
    return Omission(
        left_out,
        tuple(word for way in missing for word in way.typed),
        [item for index, item in enumerate(resolved) if index not in left_out],
        frozenset().union(*(way.where for way in missing)),
        odd=best[2],
    )


def toppable(query: Query) -> bool:
    """Tell whether the query's answer may be followed by the publications lacking one piece (`topped_up`)."""
    return query.partial and query.sort == "relevance" and query.per_page > 1


def topped_up(query: Query, whole: int) -> bool:
    """Tell whether an answer of `whole` publications holding every clause is followed by those lacking one.

    When fewer than a page hold every clause, in relevance order, on the search page
    (`Query.partial`); none: the query is answered without one piece instead (`chosen`).
    """
    return toppable(query) and 0 < whole < query.per_page


def window(query: Query, whole: int) -> tuple[int, int]:
    """Return the slice of the publications lacking one piece that the requested page shows.

    The `whole` publications holding every clause come first (fewer than a page: all on the first).
    """
    start = (query.page - 1) * query.per_page
    return max(0, start - whole), start + query.per_page - whole


def most_words(
    query: Query, clauses: Sequence[Clause], found: SearchResults, search: Callable[[Query], SearchResults]
) -> SearchResults:
    """Return the answer of a query (parsed to `clauses`) nothing answers without one piece: the best
    without two.

    Each typed piece is left out in turn and the rest searched as typed, so without one more piece
    (none is answered whole: the query would have been answered without one piece). An answer
    keeping every place typed wins, then one whose words needed no correction, then the one with
    the best first publication, chosen on the first page whatever page is asked for. Both pieces
    are named as typed (`left_out`). A spelling suggestion that answers nothing whole does not
    stop it: the visitor sees publications and the suggestion is dropped. When none answers, or
    each answer lacks a place typed, the publications holding the most pieces answer
    (`Query.most`), if they keep every place.
    """
    if found.total or not query.partial or '"' in query.text:
        return found
    places = list(dict.fromkeys(clause.at for clause in clauses))
    if len(places) < MOST_WORDS_FROM:
        return found
    if query.filters and not search(replace(query, text="", page=1, partial=False)).total:
        return found  # the filters leave nothing to find, whatever the words
    best: tuple[tuple[bool, bool, float], str, tuple[str, ...], SearchResults] | None = None
    for at in places:
        kept = " ".join(c.typed for c in clauses if c.at != at)
        first = search(replace(query, text=kept, page=1))
        if not first.hits:
            continue
        # A place typed is what the figures are of: the answer keeping every place wins (the piece
        # left out here is none, nor any the search left out), then one needing no correction,
        # then the best first publication.
        place = any(set(c.words) <= query.quiet for c in clauses if c.at == at)
        rank = (
            not place and not _lacks_place(query, first.left_out),
            first.corrected is None,
            first.hits[0].score,
        )
        if best is None or rank > best[0]:
            best = (
                rank,
                kept,
                tuple(c.typed for c in clauses if c.at == at),
                first,
            )
    if best is None or not best[0][0]:  # nothing without two pieces, or only without a place
        most = search(replace(query, most=True))  # the publications holding the most pieces
        if most.total and (best is None or not _lacks_place(query, most.left_out)):
            return replace(most, suggestion=None)
        if best is None:
            return found
    _, kept, left, answer = best
    if query.page > 1:
        answer = search(replace(query, text=kept))
    return replace(answer, left_out=(*left, *answer.left_out), suggestion=None)


def _lacks_place(query: Query, left_out: Sequence[str]) -> bool:
    """Tell whether words left out of a query (as typed) name a place (`Query.quiet`)."""
    return any(word.lower() in query.quiet for word in left_out)


def topped_without(
    query: Query, clauses: Sequence[Clause], found: SearchResults, search: Callable[[Query], SearchResults]
) -> SearchResults:
    """Return an answer without some typed pieces (`left_out`) that fewer than a page hold, followed as
    the query without them is (`topped_up`): by the publications lacking one piece more, each naming it.

    "sektor apa yg paling banyak nyerap tenaga kerja di kota metro": no publication holds "nyerap",
    one holds all the rest, and Kota Metro's labour force survey lacks only "sektor". The query
    without the pieces is searched once more; its answer is kept only if it holds the same
    publications whole.
    """
    if not found.left_out or found.fewer_words or not topped_up(query, found.total):
        return found
    left = set(found.left_out)
    kept = " ".join(clause.typed for clause in clauses if clause.typed not in left)
    again = search(replace(query, text=kept, most=False))
    if not again.fewer_words or again.total - again.fewer_words != found.total or again.left_out:
        return found
    return replace(again, left_out=found.left_out, suggestion=None, corrected=found.corrected)


def interleaved(query: Query, clauses: Sequence[Clause], results: SearchResults) -> SearchResults:
    """Return a first page topped up (`topped_up`) in one ranking: a title match lacking a word may
    outrank a publication holding every word only in passing.

    A publication lacking one of n pieces weighs (n - 1) / n of its score, (n - 2) / n when what it
    lacks is a word of the domain's (`Query.known`, not a place's): the topic asked for, not a
    word around it ("accommodation statistics metro 2019": a welfare publication titled
    "statistics" lacks the accommodation). One lacking a place or a year stays after the others
    (another place's or year's figures are not what was asked). The same publications are on the
    page, in the same order among those holding every word.
    """
    if query.page != 1 or not results.fewer_words or not any(hit.missing for hit in results.hits):
        return results
    pieces = max(2, len({clause.at for clause in clauses}))

    def rank(hit: Hit) -> tuple[bool, float]:
        if not hit.missing:
            return False, -hit.score
        elsewhere = all(word.lower() in query.quiet or _is_year(word) for word in hit.missing)
        topic = any(word.lower() in query.known and word.lower() not in query.quiet for word in hit.missing)
        return elsewhere, -hit.score * (pieces - 1 - topic) / pieces

    return replace(results, hits=sorted(results.hits, key=rank))


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")


# A region's compendia: what BPS publishes as the whole picture of a place, first of its
# publications when only the place is asked for ("kota metro", "tulangbawang").
COMPENDIA = ("dalam angka", "statistik daerah")


def compendia_first(query: Query, clauses: Sequence[Clause], results: SearchResults) -> SearchResults:
    """Return a first page asked for by a place alone with the place's compendia first (`COMPENDIA`).

    Every publication of a place holds its name alike; a visitor typing only the name wants its
    "Dalam Angka", then its "Statistik Daerah", then (unless a district is named) its districts'
    editions; those lacking a piece of the place stay last (`interleaved`). The others keep
    their order, as do the compendia.
    """
    if query.page != 1 or query.sort != "relevance" or not results.hits or not query.quiet:
        return results
    if not clauses or any(word not in query.quiet for clause in clauses for word in clause.words):
        return results

    asked = {word for clause in clauses for word in clause.words}

    def rank(hit: Hit) -> tuple[bool, int]:
        """Return (lacks a piece, 0 and 1 the compendia, 2 an unnamed district's, 3 the others)."""
        title = " ".join(hit.title.lower().split())
        series = next((n for n, name in enumerate(COMPENDIA) if name in title), None)
        if series is None:
            return bool(hit.missing), len(COMPENDIA) + 1
        # A district's edition ("Kecamatan Metro Timur Dalam Angka") when its district was not named.
        district = _district(title)
        unnamed = bool(district) and not district <= asked
        return bool(hit.missing), len(COMPENDIA) if unnamed else series

    return replace(results, hits=sorted(results.hits, key=rank))


def districts_named(query: Query, clauses: Sequence[Clause], results: SearchResults) -> SearchResults:
    """Return a first page asked for by a district's name with the district's editions first.

    A query naming a district and nothing but places (and their kinds: "kec.", "kabupaten"), a
    year or a compendium's name asks for the district's own edition, as a place alone asks for
    its compendia (`compendia_first`): "menggala kab tulang bawang" for "Kecamatan Menggala Dalam
    Angka", though its regency's publications name Menggala (the regency's capital) and the
    regency too. A district is named when each word of its name is typed, in any of its forms
    ("lubuklinggau barat 1" and "lubuk linggau barat 1" for "Lubuklinggau Barat I"); of two named,
    one inside the other ("Menggala" in "Menggala Timur"), the longer. A district named only by
    place words ("sleman": a regency's capital may bear its name) is named only beside "kec." or
    "kecamatan". An edition lacking a typed word, and the others, keep their order (`interleaved`);
    a topic typed beside the district ("padi menggala") leaves the whole page to the scores.
    """
    if query.page != 1 or query.sort != "relevance" or not results.hits:
        return results
    typed = [word for clause in clauses for word in clause.words]
    forms = _typed_forms(typed)
    named: dict[str, frozenset[str]] = {}
    for hit in results.hits:
        district = _district(hit.title)
        if hit.missing or not district or not district <= forms.keys():
            continue
        if district <= query.quiet and not DISTRICT_WORDS.intersection(typed):
            continue
        named[hit.publication_id] = district
    named = {key: name for key, name in named.items() if not any(name < other for other in named.values())}
    if not named:
        return results
    used = set().union(*(forms[word] for district in named.values() for word in district))
    rest = set(typed) - used
    if any(word not in AROUND_A_PLACE and word not in query.quiet and not _is_year(word) for word in rest):
        return results
    return replace(results, hits=sorted(results.hits, key=lambda hit: hit.publication_id not in named))


# What may be typed beside a district's name: the kind of a place (short, written out, in English),
# a compendium's name and the word before a year.
DISTRICT_WORDS = frozenset({"kec", "kecamatan", "district", "subdistrict"})
AROUND_A_PLACE = (
    DISTRICT_WORDS
    | {*PLACE_KINDS, *PLACE_KINDS.values(), "regency", "city", "tahun", "thn", "th"}
    | {word for name in COMPENDIA for word in name.split()}
)


def _typed_forms(typed: Sequence[str]) -> dict[str, set[str]]:
    """Return each word the typed words may stand for (themselves, their other forms, two side by side
    joined: "lubuk linggau") with the typed words it comes from."""
    forms: dict[str, set[str]] = {}
    for word in typed:
        for form in (word, *other_forms(word)):
            forms.setdefault(form, set()).add(word)
    for first, second in zip(typed, typed[1:], strict=False):
        if first.isalpha() and second.isalpha():
            forms.setdefault(first + second, set()).update((first, second))
    return forms


def _district(title: str) -> frozenset[str]:
    """Return the words of the district a title names as a district's edition of a compendium (or none)."""
    title = " ".join(title.lower().split())
    series = next((name for name in COMPENDIA if name in title), None)
    if series is None or not title.startswith("kecamatan "):
        return frozenset()
    return frozenset(words(title[len("kecamatan ") : title.index(series)]))
