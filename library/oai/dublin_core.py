"""A publication as simple Dublin Core (oai_dc) for harvesters: the DC fields and the BPS profile.

Only metadata leaves the library this way: no element ever links to a file, whatever the
publication's access level; dc:rights says in words how a reader gets a copy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from library.identifiers.names import PUBLISHER, creator_name
from library.models import AccessLevel, Publication

FORMAT = "application/pdf"
DCMI_TYPE = "Text"

# How a reader gets a copy, per access level: (Indonesian, English). An embargo's text
# names its end date, so the statement stays true after that day without the record changing.
RIGHTS = {
    AccessLevel.OPEN: ("Akses terbuka", "Open access"),
    AccessLevel.REGISTERED: (
        "Akses bagi pengguna terdaftar",
        "Access for registered users",
    ),
    AccessLevel.RESTRICTED: (
        "Akses terbatas; salinan atas persetujuan pustakawan",
        "Restricted access; copies only with the librarian's approval",
    ),
    AccessLevel.EMBARGOED: (
        "Embargo hingga %(date)s; sesudahnya akses terbuka",
        "Embargoed until %(date)s; open access from that day",
    ),
}


@dataclass(frozen=True)
class DCElement:
    """One Dublin Core element: its local name, its text and, if known, its language."""

    name: str
    value: str
    lang: str | None = None


def dublin_core(publication: Publication, catalogue_url: str, subject_en: str = "") -> tuple[DCElement, ...]:
    """Describe a publication in the fifteen simple Dublin Core elements it has values for.

    `subject_en` is the English name of its controlled subject: then the subject is given in
    both languages, each marked.
    """
    p = publication
    elements = [DCElement("title", p.title)]
    if p.alternative_title:
        elements.append(DCElement("title", p.alternative_title))
    elements.append(DCElement("creator", creator_name(p.issuing_office.name)))
    if p.subject and subject_en:
        elements += [DCElement("subject", p.subject, "id"), DCElement("subject", subject_en, "en")]
    elif p.subject:
        elements.append(DCElement("subject", p.subject))
    if p.abstract:
        elements.append(DCElement("description", p.abstract))
    elements.append(DCElement("publisher", PUBLISHER))
    released = p.actual_release or p.scheduled_release
    if released:
        elements.append(DCElement("date", released.isoformat()))
    if p.publication_type:
        elements.append(DCElement("type", p.publication_type))
    elements.append(DCElement("type", DCMI_TYPE))
    elements.append(DCElement("format", FORMAT))
    elements.append(DCElement("identifier", catalogue_url))
    for label, value in (
        ("ISSN", p.issn),
        ("ISBN", p.isbn),
        ("Katalog BPS", p.katalog_bps),
        ("Nomor Publikasi", p.nomor_publikasi),
    ):
        if value:
            elements.append(DCElement("identifier", f"{label}:{value}"))
    elements.extend(DCElement("language", code) for code in languages(p.language))
    if p.reference_period:
        elements.append(DCElement("coverage", p.reference_period))
    elements.extend(rights(p))
    return tuple(elements)


def rights(publication: Publication) -> tuple[DCElement, DCElement]:
    """Say in Indonesian and English how a reader gets a copy (never where a file is)."""
    level = AccessLevel(publication.access_level)
    indonesian, english = RIGHTS[level]
    if level is AccessLevel.EMBARGOED:
        date = publication.embargo_until.isoformat() if publication.embargo_until else "?"
        indonesian, english = indonesian % {"date": date}, english % {"date": date}
    return DCElement("rights", indonesian, "id"), DCElement("rights", english, "en")


def languages(field: str) -> list[str]:
    """Split a language field such as 'id,en' into its codes."""
    return [code.strip() for code in re.split(r"[,;\s]+", field) if code.strip()]


def subject_slug(subject: str) -> str:
    """Return the set name of a subject: 'Sosial Budaya' is 'sosial-budaya'."""
    ascii_text = unicodedata.normalize("NFKD", subject).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def set_specs(publication: Publication, group: str = "") -> tuple[str, ...]:
    """Return the sets a publication belongs to: its office, its subject's group (its code), its subject."""
    specs = [f"office:{publication.issuing_office.code}"]
    if group:
        specs.append(f"subject:{group}")
    slug = subject_slug(publication.subject)
    if slug and slug != group:
        specs.append(f"subject:{slug}")
    return tuple(specs)
