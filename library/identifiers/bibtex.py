"""A publication as a BibTeX entry: @book with an ISBN, else @techreport; LaTeX's specials escaped."""

from __future__ import annotations

import re

from library.identifiers.records import CitationRecord

# Each character LaTeX reads as a command, in one pass (a backslash first would be escaped twice).
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _SPECIALS))


def latex(text: str) -> str:
    """Escape LaTeX's special characters; other characters (Indonesian ones too) stay UTF-8."""
    return _SPECIAL.sub(lambda m: _SPECIALS[m.group()], " ".join(text.split()))


def entry_key(record: CitationRecord) -> str:
    """Return the entry's key: its identifier with every other character an underscore."""
    return re.sub(r"[^A-Za-z0-9]+", "_", record.identifier or record.page_url.rsplit("/", 1)[-1]).strip("_")


def bibtex(record: CitationRecord) -> str:
    """Write one BibTeX entry for a publication."""
    kind = "book" if record.is_book else "techreport"
    fields: list[tuple[str, str]] = [
        # Double braces: a corporate author is one name, never split into first and last names.
        ("author", "{" + latex(record.creator) + "}"),
        ("title", latex(record.title)),
        ("publisher" if record.is_book else "institution", latex(record.publisher)),
        ("year", str(record.year) if record.year else ""),
        ("number", "" if record.is_book else latex(record.katalog_bps)),
        ("isbn", latex(record.isbn)),
        ("issn", latex(record.issn)),
        ("doi", latex(record.doi)),
        ("url", record.cited_url),
        ("language", latex(",".join(record.languages))),
        ("abstract", latex(record.abstract)),
        ("note", latex(f"Handle {record.identifier}") if record.identifier else ""),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{entry_key(record)},\n{body}\n}}\n"
