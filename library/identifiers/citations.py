"""A publication cited as text: APA (7th edition) and the style BPS prints in its own publications.

Both are given as parts, so a page can set the title in italics and a copyable text can join
them plain. The BPS style: the office spelled out as author, the year, the title in italics,
the catalogue number, the office as BPS prints it as publisher, the address:
"Badan Pusat Statistik Kota Metro. (2024). *Kota Metro Dalam Angka 2024* (Katalog 1102001.1872).
BPS Kota Metro. https://...". APA 7 drops the publisher when it is the author (a BPS office
publishing its own report) and numbers a report after its title: "(No. 1102001.1872)".
"""

from __future__ import annotations

from dataclasses import dataclass

from library.identifiers.records import CitationRecord

NO_DATE = "n.d."


@dataclass(frozen=True)
class Citation:
    """A citation in three parts: what comes before the title, the title (in italics), what follows."""

    style: str  # "apa" or "bps"
    before: str
    title: str
    after: str

    @property
    def text(self) -> str:
        """Return the citation as one plain line."""
        return f"{self.before}{self.title}{self.after}"


def _sentence(text: str) -> str:
    """End a part with a full stop unless it ends with punctuation already."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def apa(record: CitationRecord) -> Citation:
    """Cite a publication in APA 7: group author, (year), *title* (number), [publisher], address."""
    year = str(record.year) if record.year else NO_DATE
    number = f" (No. {record.katalog_bps})" if record.katalog_bps else ""
    publisher = (
        "" if record.publisher in (record.creator, _short(record.creator)) else f" {record.publisher}."
    )
    title = record.title.rstrip(".")
    return Citation(
        "apa",
        f"{_sentence(record.creator)} ({year}). ",
        title,
        f"{number}.{publisher} {record.cited_url}".rstrip(),
    )


def bps(record: CitationRecord) -> Citation:
    """Cite a publication as BPS does: author spelled out, (year), *title* (Katalog), publisher, address."""
    year = str(record.year) if record.year else NO_DATE
    number = f" (Katalog {record.katalog_bps})" if record.katalog_bps else ""
    title = record.title.rstrip(".")
    return Citation(
        "bps",
        f"{_sentence(record.creator)} ({year}). ",
        title,
        f"{number}. {_sentence(record.publisher)} {record.cited_url}".rstrip(),
    )


def _short(creator: str) -> str:
    """Return the abbreviation BPS prints for an office (the publisher the APA rule compares)."""
    return creator.replace("Badan Pusat Statistik", "BPS", 1)
