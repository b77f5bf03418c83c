"""Occupation categories a registering person picks from, as the BPS guest book and SKM use."""

from __future__ import annotations

from dataclasses import dataclass

from library.i18n import N_


@dataclass(frozen=True)
class Occupation:
    """One category: a stored code and its (translatable) label."""

    code: str
    label: str


# The order is the order of the form. Codes are stored; never rename one, only add.
OCCUPATIONS: tuple[Occupation, ...] = (
    Occupation("student", N_("School or university student")),
    Occupation("researcher", N_("Researcher or lecturer")),
    Occupation("civil_servant", N_("Civil servant, military or police (ASN/TNI/Polri)")),
    Occupation("soe_employee", N_("State or regional enterprise employee (BUMN/BUMD)")),
    Occupation("private_employee", N_("Private sector employee")),
    Occupation("self_employed", N_("Self-employed")),
    Occupation("other", N_("Other")),
)
_BY_CODE = {o.code: o for o in OCCUPATIONS}


def occupation(code: str | None) -> Occupation | None:
    """Return the category with the code, or None when there is none."""
    return _BY_CODE.get(code or "")


def is_occupation(code: str) -> bool:
    """Tell whether the code is one of the categories."""
    return code in _BY_CODE
