"""The consultation console's record of a walk-in consultation, and a ticket's history page.

On a consultation being served, the consultant writes the topic, what was given and the
referral, and either saves it (the service goes on) or saves and finishes (the next visitor's
clock starts). A refused record shows the console again with the problems at the fields.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import InvalidFields, NotAllowed
from library.frontoffice.queue.at_work import QueueRef
from library.frontoffice.queue.consultation_records import (
    ConsultationNote,
    check_save_consultation_record,
    ticket_history,
)
from library.models import ServiceKind
from webapp.auth import current_actor
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.i18n import error_message
from webapp.queue.blueprint import bp
from webapp.queue.console import refused, render_console, staff_only
from webapp.queue.forms import ConsultationRecordForm


@bp.post("/loket/<console>/tiket/<int:ticket_id>/catatan")
@staff_only
def record(console: str, service_code: str, ticket_id: int) -> Response | tuple[str, int]:
    """Save what the consultant records of a consultation; with "Finish", finish it too."""
    if service_code != ServiceKind.CONSULTATION:
        abort(404)
    form = ConsultationRecordForm()
    if not form.validate_on_submit():
        return refused(console, _("The form was not accepted; try again."))
    finishing = request.form.get("action") == "finish"
    with refusals(to_error_page=NotAllowed) as attempt:
        code = _save_record(service_code, ticket_id, form.to_input(), finishing=finishing)
    if attempt.failed and isinstance(attempt.error, InvalidFields):
        return _record_refused(console, service_code, form, ticket_id, attempt.error)
    if attempt.failed:
        return refused(console, attempt.message)
    if finishing:
        flash(_("The service of %(code)s is finished.", code=code), "success")
    else:
        flash(_("The consultation of %(code)s is recorded.", code=code), "success")
    return redirect(url_for("queue.console_page", console=console), code=303)


def _save_record(service_code: str, ticket_id: int, note: ConsultationNote, *, finishing: bool) -> str:
    """Save the record, and finish the service when asked, in one transaction; return the ticket's code."""
    rt = current_runtime()
    with rt.transaction() as uow:
        ticket = check_save_consultation_record(
            uow,
            current_actor(),
            ticket_id,
            note,
            rt.now(),
            finish=finishing,
            at=QueueRef(rt.settings.office, service_code),
            mail=rt.jobs,  # finishing invites the visitor to the survey, by email
        )
        return ticket.code


def _record_refused(
    console: str, service_code: str, form: ConsultationRecordForm, ticket_id: int, refusal: InvalidFields
) -> tuple[str, int]:
    """Show the console again with a refused record's problems at its fields."""
    for problem in refusal.problems:
        field = getattr(form, getattr(problem, "field", ""), None)
        if field is not None:
            field.errors = [*field.errors, error_message(problem)]
    return render_console(console, service_code, record_form=form, record_for=ticket_id), 400


@bp.get("/loket/<console>/tiket/<int:ticket_id>")
@staff_only
def history(console: str, service_code: str, ticket_id: int) -> Any:
    """Show a ticket of this console's queue: its steps and what the consultant recorded."""
    rt = current_runtime()
    with refusals(to_error_page=NotAllowed) as attempt, rt.uow() as uow:
        view = ticket_history(uow, current_actor(), ticket_id, at=QueueRef(rt.settings.office, service_code))
    if attempt.failed:
        abort(404)  # no such ticket, or a ticket of another queue: not this console's to show
    return render_template("queue/ticket.html", console=console, view=view)
