"""Why a person wants a softcopy: the purpose categories of the request form."""

from __future__ import annotations

from dataclasses import dataclass

from library.i18n import N_


@dataclass(frozen=True)
class Purpose:
    """One category: a stored code and its (translatable) label."""

    code: str
    label: str


# The order is the order of the form. Codes are stored; never rename one, only add.
PURPOSES: tuple[Purpose, ...] = (
    Purpose("thesis", N_("Thesis, dissertation or school assignment")),
    Purpose("research", N_("Research or scientific publication")),
    Purpose("government", N_("Government planning, monitoring or evaluation")),
    Purpose("business", N_("Business or investment analysis")),
    Purpose("media", N_("Journalism or media")),
    Purpose("personal", N_("Personal reference")),
    Purpose("other", N_("Other")),
)
_BY_CODE = {p.code: p for p in PURPOSES}


def purpose(code: str | None) -> Purpose | None:
    """Return the category with the code, or None when there is none."""
    return _BY_CODE.get(code or "")
