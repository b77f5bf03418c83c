"""The controlled subjects shipped with the package: BPS's groups and subjects, in both languages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from catalog_data.fields import RecordReader, parse_toml
from catalog_data.records import CatalogDataError

SUBJECTS_FILE = "subjects.toml"
ORIGINS = ("bps", "office")
_CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class SubjectTermRecord:
    """One controlled subject: its names, BPS's id if known, where it comes from, other spellings."""

    name: str
    name_en: str
    bps_id: str = ""
    origin: str = "bps"
    aliases: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """Return the subject's slug ('Ekspor-Impor' is 'ekspor-impor')."""
        return slug(self.name)


@dataclass(frozen=True)
class SubjectGroupRecord:
    """A group of subjects, as BPS's websites group them."""

    code: str
    name: str
    name_en: str
    terms: tuple[SubjectTermRecord, ...]


def fold(text: str) -> str:
    """Return a subject text as compared: no accents nor control characters, lower case, single spaces."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isprintable() else " " for c in plain).casefold().split())


def slug(text: str) -> str:
    """Return the slug of a name: 'Input/Output' is 'input-output'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def load_subjects() -> list[SubjectGroupRecord]:
    """Load the groups and their subjects from the packaged subjects.toml."""
    return list(_packaged_subjects())


@cache
def _packaged_subjects() -> tuple[SubjectGroupRecord, ...]:
    """Read and check the packaged subjects once a process: the records are frozen."""
    text = resources.files("catalog_data").joinpath(SUBJECTS_FILE).read_text(encoding="utf-8")
    return tuple(parse_subjects(text))


def parse_subjects(
    source: str | Mapping[str, Any], *, origin: str = SUBJECTS_FILE
) -> list[SubjectGroupRecord]:
    """Validate a subjects document into its groups; a name or spelling used twice is refused."""
    top = RecordReader(origin, parse_toml(source, origin), ("group",))
    groups: list[SubjectGroupRecord] = []
    seen: dict[str, str] = {}  # folded name or alias -> where
    for index, raw in enumerate(top.tables("group")):
        r = RecordReader(f"{origin}: group #{index + 1}", raw, ("code", "name", "name_en", "term"))
        code = r.text("code")
        if not _CODE.match(code) or any(g.code == code for g in groups):
            r.fail("code", f"a new slug of lower-case letters, digits and dashes, got {code!r}")
        terms = tuple(
            _term(f"{origin}: group {code}, term #{i + 1}", t) for i, t in enumerate(r.tables("term"))
        )
        for term in terms:
            for spelling in (term.name, *term.aliases):
                if fold(spelling) in seen:
                    raise CatalogDataError(origin, "term", f"{spelling!r} is also {seen[fold(spelling)]}")
                seen[fold(spelling)] = f"{term.name!r} in {code}"
        groups.append(SubjectGroupRecord(code, r.text("name"), r.text("name_en"), terms))
    if not groups:
        top.fail("group", "no [[group]] tables")
    return groups


def _term(record: str, raw: object) -> SubjectTermRecord:
    """Read one [[group.term]] table."""
    r = RecordReader(record, raw, ("name", "name_en", "bps_id", "origin", "aliases"))
    bps_id = r.text("bps_id", optional=True, empty_ok=True)
    if bps_id and not bps_id.isdigit():
        r.fail("bps_id", f"BPS's numeric id or nothing, got {bps_id!r}")
    return SubjectTermRecord(
        name=r.text("name"),
        name_en=r.text("name_en"),
        bps_id=bps_id,
        origin=r.choice("origin", ORIGINS, optional=True) or "bps",
        aliases=r.texts("aliases") if r.has("aliases") else (),
    )
