"""Metadata a librarian can accept or correct: read from document info and the colophon."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

COLOPHON_PAGES = 8
# BPS catalogue number: 7 digits, then the region code (.16, .1872, .1872030, or 18.72).
KATALOG_NUMBER = r"\d{7}(?:\.\d{2,7})*(?![\d.]*\d)"
KATALOG = re.compile(r"(?:katalog|catalog(?:ue)?)\b[^\d\n]{0,40}?(" + KATALOG_NUMBER + ")", re.I)
NOMOR = re.compile(
    r"(?:no(?:mor)?\.?\s*publikasi|publication\s+number)\b[^\d\n]{0,40}?"
    r"(\d{5}\.\d{2}\.?\d{2,3})(?!\d)",
    re.I,
)
ISSN = re.compile(r"\bISSN\b[^\d\n]{0,20}?(\d{4}-\d{3}[\dX])\b", re.I)
ISBN = re.compile(r"\bISBN(?:-1[03])?\b[^\d\n]{0,20}?(\d[\d -]{8,15}[\dX])\b", re.I)
# A colophon laid out as a table comes out of a PDF as "Katalog\n:\n1102001.1872".
TABLE_COLON = re.compile(r"[ \t]*\n[ \t]*:[ \t]*\n?[ \t]*")
YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
WORD = re.compile(r"[a-z]+")
INDONESIAN = frozenset(
    "yang dan di dari dalam menurut tahun untuk pada dengan ini adalah atau oleh ke sebagai tersebut".split()
)
ENGLISH = frozenset("the and of by in to for is with on from are this that as".split())
MIN_LANGUAGE_HITS = 5
# Lines on a cover that are never its title: the agency, its site, labels, the sample notice.
NOT_TITLE = re.compile(
    r"^(badan pusat statistik|bps\b|statistics\b|bps-statistics|https?:|www\.|publikasi$|"
    r"publication$|katalog|catalog|nomor publikasi|no\. publikasi|issn|isbn|contoh isi|"
    r"sample content|\d+$)",
    re.I,
)
JUNK_TITLE = re.compile(
    r"^(microsoft\b|untitled|tanpa judul|document\d*$|dokumen\d*$|judul$|title$|"
    r"presentation\d*$|book\d*$|.+\.(docx?|xlsx?|pptx?|pdf|indd|qxd|tiff?|jpe?g|png|rtf|odt)$)",
    re.I,
)


@dataclass(frozen=True)
class SuggestedMetadata:
    """Metadata guessed from a file, each field '' (or None) when nothing was found."""

    title: str = ""
    katalog_bps: str = ""
    nomor_publikasi: str = ""
    issn: str = ""
    isbn: str = ""
    year: int | None = None
    language: str = ""  # "id", "en" or ""


def suggest_metadata(
    info: Mapping[str, str], page_texts: Sequence[str], filename: str = ""
) -> SuggestedMetadata:
    """Guess title, BPS identifiers, year and language from document info and first pages."""
    pages = [TABLE_COLON.sub(": ", text) for text in page_texts[:COLOPHON_PAGES]]
    # The colophon is the authority; the info's keywords and subject come second.
    sources = [*pages, info.get("keywords", ""), info.get("subject", "")]
    title = _title(info, pages, filename)
    return SuggestedMetadata(
        title=title,
        katalog_bps=_first(KATALOG, sources) or katalog_bps_from_filename(filename),
        nomor_publikasi=_first(NOMOR, sources),
        issn=_first(ISSN, sources, valid_issn),
        isbn=_first(ISBN, sources, valid_isbn),
        year=_year(title, info.get("creationDate", "")),
        language=guess_language(" ".join([title, *pages])),
    )


def katalog_bps_from_filename(name: str) -> str:
    """Return the BPS catalogue number in a file name ("1101002.1872_x.pdf"), or ''."""
    # Unlike a labelled colophon, a bare 7-digit run in a name may be anything: ask for the
    # region part too.
    match = re.search(r"(?<![\d.])\d{7}(?:\.\d{2,7})+(?![\d.]*\d)", PurePath(name).name)
    return match.group(0) if match else ""


def valid_issn(issn: str) -> bool:
    """Tell whether an NNNN-NNNC ISSN has the right check character."""
    digits = issn.replace("-", "").upper()
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=False))
    check = (11 - total % 11) % 11
    return len(digits) == 8 and digits[7] == ("X" if check == 10 else str(check))


def valid_isbn(isbn: str) -> bool:
    """Tell whether an ISBN-10 or ISBN-13 (hyphens or spaces allowed) has the right check digit."""
    digits = re.sub(r"[ -]", "", isbn).upper()
    if len(digits) == 13 and digits.isdigit():
        return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        values = [int(d) for d in digits[:9]] + [10 if digits[9] == "X" else int(digits[9])]
        return sum(v * w for v, w in zip(values, range(10, 0, -1), strict=True)) % 11 == 0
    return False


def guess_language(text: str) -> str:
    """Return "id" or "en" from the share of common function words, or '' when unsure."""
    words = WORD.findall(text.casefold())
    indonesian = sum(w in INDONESIAN for w in words)
    english = sum(w in ENGLISH for w in words)
    if indonesian + english < MIN_LANGUAGE_HITS:
        return ""
    # English prose is denser in function words than Indonesian (about 1.5 times in BPS
    # texts), and a bilingual BPS publication is an Indonesian one.
    return "id" if indonesian * 1.5 >= english else "en"


def _first(
    pattern: re.Pattern[str], sources: Sequence[str], valid: Callable[[str], bool] = lambda _: True
) -> str:
    for text in sources:
        for match in pattern.finditer(text):
            found = match.group(1).strip()
            if valid(found):
                return found.upper() if pattern is ISSN else found
    return ""


def _title(info: Mapping[str, str], pages: Sequence[str], filename: str) -> str:
    stem = PurePath(filename).stem if filename else ""
    candidate = " ".join(info.get("title", "").split())
    if candidate and not _is_junk_title(candidate, stem):
        return candidate
    if pages:
        from_cover = _cover_title(pages[0])
        if from_cover:
            return from_cover
    return _humanise(stem)


def _is_junk_title(title: str, stem: str) -> bool:
    if len(title) < 4 or not re.search(r"[^\W\d_]", title) or JUNK_TITLE.match(title):
        return True
    # A file name: the stem itself, or one token joined by underscores or hyphens.
    return title == stem or (" " not in title and bool(re.search(r"[_.]|-\w+-", title)))


def _cover_title(text: str) -> str:
    """Return the first title-like lines of a cover page, joined; at most three lines."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    title: list[str] = []
    for line in lines:
        looks_like_title = (
            8 <= len(line) <= 200
            and len(line.split()) >= 2
            and not NOT_TITLE.match(line)
            and not YEAR.fullmatch(line)
        )
        if not looks_like_title:
            if title:
                break
            continue
        title.append(line)
        # A title line ending in its year is complete; so are three lines.
        if YEAR.search(line.split()[-1]) or len(title) == 3:
            break
    return " ".join(title)[:200]


def _humanise(stem: str) -> str:
    stem = re.sub(KATALOG_NUMBER, " ", stem)
    words = re.sub(r"[_\-.]+", " ", stem).split()
    return " ".join(w.capitalize() if w.islower() else w for w in words)


def _year(title: str, created: str) -> int | None:
    years = YEAR.findall(title)
    if years:
        return int(years[-1])
    match = re.match(r"^(?:D:)?(\d{4})", created)
    return int(match.group(1)) if match and 1900 <= int(match.group(1)) <= 2100 else None
