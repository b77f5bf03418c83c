"""What a librarian may write in a publication's metadata: each field tidied and checked, all at once.

The fields travel as text, the way the edit form shows them (dates as YYYY-MM-DD, the office
by its code, the access level by its code), so the history keeps them the same way. A field
whose format is checked (dates, identifiers) is checked only when the librarian changed it:
a value taken in by an earlier ingest never blocks saving another field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace

from ingest.metadata import valid_isbn, valid_issn
from library.errors import InvalidField, InvalidInput
from library.i18n import N_
from library.identifiers.records import DOI, normal_doi
from library.models import AccessLevel, Publication
from library.models.publication import TEXT_LIMITS
from library.text import clean_text

LIMITS = TEXT_LIMITS  # the longest text each field holds (the columns of `publication`)
DATE_FIELDS = ("scheduled_release", "actual_release", "embargo_until")
KATALOG = re.compile(r"\d{7}(\.\d{2,7})?")
NOMOR_PUBLIKASI = re.compile(r"\d{5}\.\d{4}")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


@dataclass(frozen=True)
class PublicationFields:
    """Every field of a publication a librarian edits, as text."""

    title: str = ""
    alternative_title: str = ""
    abstract: str = ""
    subject: str = ""
    publication_type: str = ""
    language: str = ""
    reference_period: str = ""
    scheduled_release: str = ""
    actual_release: str = ""
    office: str = ""
    katalog_bps: str = ""
    nomor_publikasi: str = ""
    issn: str = ""
    isbn: str = ""
    doi: str = ""
    access_level: str = ""
    embargo_until: str = ""

    def as_dict(self) -> dict[str, str]:
        """Return the fields by name, in the order the form shows them."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


FIELD_NAMES = tuple(PublicationFields().as_dict())


class MetadataRefused(InvalidInput):
    """Fields a librarian must correct before the publication is saved; each names its field."""

    def __init__(self, errors: list[InvalidField]) -> None:
        super().__init__(N_("The publication is not saved: correct the fields marked below."))
        self.errors = tuple(errors)


def fields_of(publication: Publication) -> PublicationFields:
    """Return a publication's fields as the edit form shows them."""
    return PublicationFields(
        title=publication.title,
        alternative_title=publication.alternative_title,
        abstract=publication.abstract,
        subject=publication.subject,
        publication_type=publication.publication_type,
        language=publication.language,
        reference_period=publication.reference_period,
        scheduled_release=_iso(publication.scheduled_release),
        actual_release=_iso(publication.actual_release),
        office=publication.issuing_office.code,
        katalog_bps=publication.katalog_bps,
        nomor_publikasi=publication.nomor_publikasi,
        issn=publication.issn,
        isbn=publication.isbn,
        doi=publication.doi,
        access_level=publication.access_level,
        embargo_until=_iso(publication.embargo_until),
    )


def clean_fields(
    typed: PublicationFields, before: PublicationFields, offices: Collection[str], today: dt.date
) -> PublicationFields:
    """Return the typed fields tidied and checked; refuse them naming every field at fault."""
    values = tidy_fields(typed).as_dict()
    old = before.as_dict()
    errors: list[InvalidField] = []
    for name, value in values.items():
        changed = value != old[name]
        try:
            values[name] = _checked(name, value, changed=changed, offices=offices)
        except InvalidField as error:
            errors.append(error)
    try:
        _check_embargo(values, old, today)
    except InvalidField as error:
        errors.append(error)
    if errors:
        raise MetadataRefused(errors)
    return PublicationFields(**values)


def tidy_fields(typed: PublicationFields) -> PublicationFields:
    """Return the fields without control characters and stray spaces, not yet checked."""
    return PublicationFields(**{name: _tidy(name, value) for name, value in typed.as_dict().items()})


def changed_fields(before: PublicationFields, after: PublicationFields) -> dict[str, tuple[str, str]]:
    """Return the fields whose value differs, each with its value before and after."""
    old, new = before.as_dict(), after.as_dict()
    return {name: (old[name], new[name]) for name in FIELD_NAMES if old[name] != new[name]}


def with_changes(base: PublicationFields, changes: Mapping[str, str]) -> PublicationFields:
    """Return the fields with some of them replaced."""
    return replace(base, **changes)


def check_field(name: str, value: str) -> str:
    """Return one field as a librarian typing it would save it (not the office); raise InvalidField."""
    return _checked(name, _tidy(name, value), changed=True, offices=())


def parse_date(value: str) -> dt.date | None:
    """Return the date of a field already checked (None for an empty one)."""
    return dt.date.fromisoformat(value) if value else None


def _tidy(name: str, value: object) -> str:
    """Return a field's text without control characters; one line except for the abstract."""
    text = clean_text(value if isinstance(value, str) else "")
    if name == "abstract":
        return "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return " ".join(text.split())


def _checked(name: str, value: str, *, changed: bool, offices: Collection[str]) -> str:
    """Return one field's value, normalised; raise InvalidField saying how to write it."""
    if name == "title" and not value:
        raise InvalidField(name, N_("Write the title of the publication."))
    limit = LIMITS.get(name)
    if limit is not None and len(value) > limit:
        raise InvalidField(name, N_("This field holds at most %(max)s characters."), max=limit)
    if name == "office":
        if value not in offices:
            raise InvalidField(name, N_("Choose the issuing office from the list."))
        return value
    if name == "access_level":
        if value not in {level.value for level in AccessLevel}:
            raise InvalidField(name, N_("Choose an access level from the list."))
        return value
    if name == "language":
        return _language(value) if changed else value
    if not changed or not value:
        return value
    if name in DATE_FIELDS:
        return _date(name, value)
    return _identifier(name, value)


def _language(value: str) -> str:
    """Return language codes as 'id' or 'id,en'; refuse anything else."""
    codes = [code for code in re.split(r"[,;\s]+", value.lower()) if code]
    if not codes or not all(LANGUAGE_CODE.fullmatch(code) for code in codes):
        raise InvalidField(
            "language",
            N_("Write the language codes, separated by commas: id for Indonesian, en for English (id,en)."),
        )
    return ",".join(dict.fromkeys(codes))


def _date(name: str, value: str) -> str:
    """Return a date as YYYY-MM-DD; refuse one that is not a date of this era."""
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidField(name, N_("Write the date as YYYY-MM-DD, e.g. 2024-02-28.")) from None
    if not EARLIEST <= date <= LATEST:
        raise InvalidField(name, N_("Write a date between 1900 and 2100."))
    return date.isoformat()


def _identifier(name: str, value: str) -> str:
    """Return a BPS or ISO identifier in its usual spelling; refuse one of the wrong shape."""
    if name == "katalog_bps" and not KATALOG.fullmatch(value):
        raise InvalidField(
            name,
            N_(
                "A Katalog BPS number is 7 digits, with the region code after a dot "
                "for a regional edition (1102001.1872)."
            ),
        )
    if name == "nomor_publikasi" and not NOMOR_PUBLIKASI.fullmatch(value):
        raise InvalidField(name, N_("A publication number is written NNNNN.YYSS, e.g. 18720.2401."))
    if name == "issn":
        issn = value.upper().replace(" ", "")
        issn = f"{issn[:4]}-{issn[4:]}" if len(issn) == 8 and "-" not in issn else issn
        if not re.fullmatch(r"\d{4}-\d{3}[\dX]", issn) or not valid_issn(issn):
            raise InvalidField(name, N_("This is not a valid ISSN: check its 8 characters, e.g. 0126-2912."))
        return issn
    if name == "doi":
        return _doi(value)
    if name == "isbn" and not valid_isbn(value):
        raise InvalidField(
            name, N_("This is not a valid ISBN: check its 10 or 13 digits, e.g. 978-602-438-123-3.")
        )
    return value


def _doi(value: str) -> str:
    """Return a DOI without its resolver's address ("https://doi.org/"); refuse one of another shape."""
    doi = normal_doi(value)
    if not DOI.fullmatch(doi):
        raise InvalidField("doi", N_("A DOI is written 10.<digits>/<suffix>, e.g. 10.1234/bps.1872.2024.1."))
    return doi


def _check_embargo(values: dict[str, str], old: Mapping[str, str], today: dt.date) -> None:
    """Refuse an embargo without a date, a date without an embargo, and a new embargo already over."""
    embargoed = values["access_level"] == AccessLevel.EMBARGOED.value
    date = values["embargo_until"]
    if embargoed and not date:
        raise InvalidField("embargo_until", N_("An embargoed publication needs the date its embargo ends."))
    if not embargoed and date:
        raise InvalidField(
            "embargo_until",
            N_("Only an embargoed publication has an embargo date: clear the date, or choose Embargoed."),
        )
    renewed = (values["access_level"], date) != (old["access_level"], old["embargo_until"])
    if embargoed and renewed and _valid_date(date) and dt.date.fromisoformat(date) <= today:
        raise InvalidField(
            "embargo_until",
            N_("An embargo ends after today; for a publication already released choose Open."),
        )


def _valid_date(value: str) -> bool:
    """Tell whether a field holds a date (its own check has spoken otherwise)."""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _iso(date: dt.date | None) -> str:
    """Return a date as YYYY-MM-DD, or '' for none."""
    return date.isoformat() if date else ""
