"""/laporan/survei: the office head reviews flagged SKM answers, sets one aside or restores it, saying why."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import InvalidInput
from library.models import Role
from library.quality.review import (
    ASIDE_LABELS,
    DOUBT_LABELS,
    REASON_MAX,
    ReviewedAnswer,
    answers_to_review,
    check_restore,
    check_set_aside,
)
from library.reports.periods import Period
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.i18n import error_message
from webapp.periods import PERIOD_ARGS, chosen, kind_labels, period_args, period_chosen
from webapp.reports.blueprint import review_bp

ACTIONS = {"sisihkan": check_set_aside, "pulihkan": check_restore}


@review_bp.get("")
@role_required(Role.OFFICE_HEAD)
def review() -> tuple[str, int]:
    """List the period's flagged and set-aside survey answers, each with its history and a decision form."""
    choice = chosen()
    try:
        period: Period | None = period_chosen(choice)
        error = None
    except InvalidInput as exc:
        period, error = None, error_message(exc)
    return render_template(
        "reports/review.html",
        answers=_answers(period) if period else [],
        period=period,
        choice=choice,
        kinds=kind_labels(),
        args=period_args(period) if period else {},
        doubt_labels=DOUBT_LABELS,
        aside_labels=ASIDE_LABELS,
        reason_max=REASON_MAX,
        error=error,
    ), 400 if error else 200


@review_bp.post("/<int:response_id>")
@role_required(Role.OFFICE_HEAD)
def decide(response_id: int) -> Response:
    """Set one answer aside or restore it, with the reason typed; back to the list, at the answer."""
    action = request.form.get("tindakan", "")
    decision = ACTIONS.get(action)
    period: dict[str, Any] = {k: v for k, v in request.args.items() if k in PERIOD_ARGS}
    back = url_for("survey_review.review", **period)
    if decision is None:
        flash(_("Choose whether to set the answer aside or to restore it."), "error")
        return redirect(back, code=303)
    rt = current_runtime()
    with refusals() as attempt, rt.transaction() as uow:
        reason = request.form.get("alasan", "")
        decision(uow, current_actor(), rt.settings.office, response_id, reason, rt.now())
    if attempt.failed:
        flash(attempt.message, "error")
    else:
        flash(_done(action), "success")
    return redirect(f"{back}#jawaban-{response_id}", code=303)


def _answers(period: Period) -> list[ReviewedAnswer]:
    """Return the answers of the period to review, for the signed-in office head."""
    rt = current_runtime()
    with rt.uow() as uow:
        return answers_to_review(uow, current_actor(), rt.settings.office, period.start, period.end)


def _done(action: str) -> str:
    """Return what a decision did, in the reader's language."""
    if action == "sisihkan":
        return _("The answer is set aside: it no longer counts in the index.")
    return _("The answer counts in the index again.")
