"""Metadata drafts: what a librarian, a CSV row or a file name says about a publication to come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from library.errors import InvalidInput
from library.i18n import N_
from library.models import AccessLevel, Office
from library.models.publication import TEXT_LIMITS
from library.uow import UnitOfWork

TEXT_FIELDS = TEXT_LIMITS
DATE_FIELDS = ("actual_release", "embargo_until")
DRAFT_FIELDS = (*TEXT_FIELDS, *DATE_FIELDS, "access_level", "office", "publish")


def _text_values(raw: Mapping[str, Any]) -> dict[str, str]:
    """Return the non-empty text fields of `raw`, whitespace tidied, each within its length."""
    values: dict[str, str] = {}
    for name, limit in TEXT_FIELDS.items():
        value = (
            " ".join(str(raw.get(name) or "").split())
            if name != "abstract"
            else str(raw.get(name) or "").strip()
        )
        if len(value) > limit:
            raise InvalidInput(
                N_("The field %(field)s is longer than %(limit)s characters."),
                field=name,
                limit=limit,
            )
        if value:
            values[name] = value
    return values


def _date_values(raw: Mapping[str, Any]) -> dict[str, str]:
    """Return the non-empty date fields of `raw` as ISO dates."""
    values: dict[str, str] = {}
    for name in DATE_FIELDS:
        value = str(raw.get(name) or "").strip()
        if value:
            try:
                values[name] = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                raise InvalidInput(
                    N_("'%(value)s' in %(field)s is not a date; write it as YYYY-MM-DD."),
                    value=value,
                    field=name,
                ) from None
    return values


def check_draft(uow: UnitOfWork, raw: Mapping[str, Any]) -> dict[str, str]:
    """Validate and normalise a metadata draft; empty values are left for suggestions to fill."""
    unknown = sorted(set(raw) - set(DRAFT_FIELDS))
    if unknown:
        raise InvalidInput(N_("Unknown metadata field(s): %(fields)s."), fields=", ".join(unknown))
    draft = {**_text_values(raw), **_date_values(raw)}
    level = str(raw.get("access_level") or "").strip().lower()
    if level:
        if level not in {a.value for a in AccessLevel}:
            raise InvalidInput(
                N_("Unknown access level '%(level)s'; choose from %(choices)s."),
                level=level,
                choices=", ".join(a.value for a in AccessLevel),
            )
        draft["access_level"] = level
    if (draft.get("access_level") == AccessLevel.EMBARGOED.value) != ("embargo_until" in draft):
        raise InvalidInput(N_("An embargoed publication needs an embargo date, and only an embargoed one."))
    if str(raw.get("publish") or "").strip().lower() in ("1", "true", "yes", "ya"):
        draft["publish"] = "1"  # public at once, without a librarian's review (`pustaka ingest --publish`)
    office = str(raw.get("office") or "").strip()
    if office:
        if uow.session.scalar(select(Office.id).where(Office.code == office)) is None:
            raise InvalidInput(N_("There is no office with the code %(code)s."), code=office)
        draft["office"] = office
    return draft
