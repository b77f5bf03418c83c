"""The guest book's categories, as the BPS guest book and the satisfaction survey (SKM) use them.

Each category is a stored code and a label marked for the translation catalogue; the web shows
the label in the visitor's language. The order of each tuple is the order of the form. Codes
are stored on visits and counted in reports: never rename one, only add.
Occupations are the ones online registration asks for (`library.accounts`), so a visitor's
account and visits speak of the same categories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from library.accounts.occupations import OCCUPATIONS as PEOPLE_OCCUPATIONS
from library.i18n import N_


@dataclass(frozen=True)
class Category:
    """One answer of a guest-book question: a stored code and its (translatable) label."""

    code: str
    label: str


SEXES: tuple[Category, ...] = (
    Category("male", N_("Male")),
    Category("female", N_("Female")),
)

AGE_BANDS: tuple[Category, ...] = (
    Category("under_17", N_("Under 17")),
    Category("17_25", N_("17-25")),
    Category("26_35", N_("26-35")),
    Category("36_45", N_("36-45")),
    Category("46_55", N_("46-55")),
    Category("56_65", N_("56-65")),
    Category("over_65", N_("Over 65")),
)

EDUCATIONS: tuple[Category, ...] = (
    Category("high_school", N_("Senior high school or lower")),
    Category("diploma", N_("Diploma (D1/D2/D3)")),
    Category("bachelor", N_("Bachelor (D4/S1)")),
    Category("master", N_("Master (S2)")),
    Category("doctorate", N_("Doctorate (S3)")),
)

OCCUPATIONS: tuple[Category, ...] = tuple(Category(o.code, o.label) for o in PEOPLE_OCCUPATIONS)


def category(categories: Sequence[Category], code: str | None) -> Category | None:
    """Return the category with the code among `categories`, or None when there is none."""
    return next((c for c in categories if c.code == code), None)


def is_category(categories: Sequence[Category], code: str | None) -> bool:
    """Tell whether the code is one of `categories`."""
    return category(categories, code) is not None
