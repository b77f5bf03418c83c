"""The BPS metadata profile in MARC21: which tag carries which field, both ways.

One mapping serves the export, the import and OAI-PMH's `marc21`:

| field | MARC21 |
|---|---|
| record key | 001 (and 035 `(Pustaka)key`) |
| ISBN, ISSN | 020 $a, 022 $a |
| Katalog BPS | 024 7_ $a, $2 `katalog-bps` |
| Nomor Publikasi | 024 7_ $a, $2 `nomor-publikasi-bps` |
| language | 008/35-37 and 041 $a (MARC codes: ind, eng) |
| classification | 082 $a (DDC, the first holding's class), read from 082/084 |
| issuing office | 110 2_ $a "Badan Pusat Statistik Kota Metro" |
| title, alternative title | 245 $a, $b (246 $a read when there is no $b) |
| place, publisher, date | 264 _1 $a $b $c (260 read too); the full date in 008/06 `e` |
| extent | 300 $a, from the access copy's page count (not read back) |
| publication type | 655 _4 $a (490 $a read when there is no 655) |
| reference period | 513 $b |
| access | 506 $a in words, $f the level's code with $2 `pustaka`, $g the embargo's end |
| abstract | 520 $a |
| subject | 650 _4 $a (the first; later ones are reported, not kept) |
| public page | 856 40 $u |
| holdings | 852 $b location, $h call number, $z note, one per copy; 090 $a as SLiMS writes it |

Katalog BPS and Nomor Publikasi also go to a 500 note in words, for systems that drop 024 $2;
a 500 note written so by another system is read back when 024 has none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from library.identifiers.names import PUBLISHER, creator_name

MARC_NS = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
KEY_SOURCE = "(Pustaka)"
KATALOG_SOURCE = "katalog-bps"
NOMOR_SOURCE = "nomor-publikasi-bps"
ACCESS_SOURCE = "pustaka"
COUNTRY = "io "  # the MARC country code of Indonesia, in 008/15-17

# ISO 639-1 (what a publication's language field holds) and MARC/ISO 639-2 codes.
LANGUAGES = {
    "id": "ind",
    "en": "eng",
    "ms": "may",
    "jv": "jav",
    "su": "sun",
    "ar": "ara",
    "zh": "chi",
    "nl": "dut",
    "fr": "fre",
    "de": "ger",
    "ja": "jpn",
}
MARC_LANGUAGES = {marc: iso for iso, marc in LANGUAGES.items()} | {"msa": "ms", "zho": "zh", "nld": "nl"}
# Words other systems put in a 500 note for the BPS numbers (INLIS Lite and SLiMS have no field).
KATALOG_NOTE = re.compile(r"katalog\s*(?:bps)?\s*[:.]?\s*(?:no\.?\s*)?[:.]?\s*(\d{7}(?:\.\d{2,7})?)", re.I)
NOMOR_NOTE = re.compile(r"(?:nomor|no\.?)\s*publikasi\s*[:.]?\s*(\d{5}\.\d{4})", re.I)
# ISBD punctuation other systems leave at the end of a subfield ("Judul :", "Jakarta ;").
_TRAILING = re.compile(r"[\s/:;,=.+]+$")
_YEAR = re.compile(r"(1[89]\d\d|2[01]\d\d)")


@dataclass(frozen=True)
class Words:
    """A sentence for a person: its English message (a catalogue msgid) and its values."""

    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % dict(self.params) if self.params else self.message


def issuing_body(office_name: str) -> str:
    """Spell out the issuing office as citations do ('BPS Kota Metro': Badan Pusat Statistik Kota Metro)."""
    return creator_name(office_name)


def place_of(office_name: str) -> str:
    """Return the town an office publishes from: 'BPS Kota Metro' publishes from Metro."""
    name = issuing_body(office_name)[len(PUBLISHER) :].strip()
    for prefix in ("Provinsi ", "Kabupaten ", "Kota ", "Kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :].strip()
    return name or "Jakarta"


def folded(text: str) -> str:
    """Return text compared loosely: no accents, lower case, single spaces, no punctuation."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())


def trimmed(text: str) -> str:
    """Return a subfield without the ISBD punctuation and brackets other systems leave around it."""
    value = " ".join(text.split())
    value = _TRAILING.sub("", value)
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1].strip()
    return value


def year_in(text: str) -> int | None:
    """Return the first plausible year in a date statement ('c2024.', '[2023]'), or None."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def marc_language(code: str) -> str:
    """Return the MARC code of a language ('id' is 'ind'); an unknown one as it is, if three letters."""
    code = code.strip().lower()
    return LANGUAGES.get(code, code if len(code) == 3 else "und")


def iso_language(code: str) -> str:
    """Return the two-letter code of a MARC language ('ind' is 'id'); '' when unknown."""
    code = code.strip().lower()
    if code in MARC_LANGUAGES:
        return MARC_LANGUAGES[code]
    return code if code in LANGUAGES else ""
