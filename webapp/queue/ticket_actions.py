"""The console's buttons on one visitor's ticket: call again, start, finish, no-show, transfer, priority.

Each is a small POST form under `/loket/<console>/tiket/<id>/…`, guarded as the console is
(`webapp.queue.console.staff_only`), that runs one queue action and goes back to the console
with a flash message (`_act`); starting late and explaining a late start ask for a reason and,
when it is wanted or refused, show the console again with its field at the ticket
(`_with_reason`). Calling the next visitor and the counter's own buttons stay with the console.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import flash, redirect, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import InvalidField, NotAllowed, PustakaError
from library.frontoffice.queue.actions import (
    BreachReasonNeeded,
    finish_service,
    recall,
    skip_no_show,
    start_service,
    transfer,
)
from library.frontoffice.queue.at_work import QueueRef
from library.frontoffice.queue.consultation_records import check_finish_consultation
from library.frontoffice.queue.late_reasons import check_explain_late_start
from library.frontoffice.queue.priority_marks import check_mark_priority
from library.models import ServiceKind
from webapp.auth import current_actor
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.queue.blueprint import bp
from webapp.queue.console import counter_key, refused, render_console, staff_only
from webapp.queue.forms import PriorityForm, StartForm, TransferForm
from webapp.queue.phones import tell_phones


@bp.post("/loket/<console>/tiket/<int:ticket_id>/panggil-ulang")
@staff_only
def call_again(console: str, service_code: str, ticket_id: int) -> Response:
    """Call a called visitor again (the board chimes once more)."""
    return _act(console, service_code, ticket_id, recall, _("%(code)s is called again."), tell=True)


@bp.post("/loket/<console>/tiket/<int:ticket_id>/selesai")
@staff_only
def finish(console: str, service_code: str, ticket_id: int) -> Response:
    """Close a visitor's service (a consultation: only once its record has a topic)."""
    finishing = check_finish_consultation if service_code == ServiceKind.CONSULTATION else finish_service
    finish_and_invite = functools.partial(finishing, mail=current_runtime().jobs)  # the survey link, by email
    done = _("The service of %(code)s is finished.")
    return _act(console, service_code, ticket_id, finish_and_invite, done)


@bp.post("/loket/<console>/tiket/<int:ticket_id>/tidak-hadir")
@staff_only
def no_show(console: str, service_code: str, ticket_id: int) -> Response:
    """Close a called ticket whose visitor did not come."""
    return _act(console, service_code, ticket_id, skip_no_show, _("%(code)s did not come and is closed."))


@bp.post("/loket/<console>/tiket/<int:ticket_id>/mulai")
@staff_only
def start(console: str, service_code: str, ticket_id: int) -> Response | tuple[str, int]:
    """Start a visitor's service; past the target, ask for the reason first."""
    done = _("The service of %(code)s has started.")
    return _with_reason(
        console, service_code, ticket_id, start_service, BreachReasonNeeded, done, explaining=False
    )


@bp.post("/loket/<console>/tiket/<int:ticket_id>/alihkan")
@staff_only
def send_elsewhere(console: str, service_code: str, ticket_id: int) -> Response:
    """Send a visitor to the end of another service's queue."""
    form = TransferForm()
    if not form.validate_on_submit():
        return refused(console, _("Choose the service to transfer the visitor to."))
    rt = current_runtime()
    where = QueueRef(rt.settings.office, service_code)
    with refusals(to_error_page=NotAllowed) as attempt, rt.transaction() as uow:
        moved = transfer(
            uow,
            current_actor(),
            ticket_id,
            form.to_service.data or "",
            rt.now(),
            at=where,
            counter=session.get(counter_key(service_code), ""),
        )
        code, service = moved.code, moved.service.name
    if attempt.failed:
        return refused(console, attempt.message)
    flash(_("The visitor waits in the %(service)s queue as %(code)s.", service=service, code=code), "success")
    return redirect(url_for("queue.console_page", console=console), code=303)


@bp.post("/loket/<console>/tiket/<int:ticket_id>/alasan")
@staff_only
def explain_late(console: str, service_code: str, ticket_id: int) -> Response | tuple[str, int]:
    """Record the real reason a visitor started late at a terminal or with a scan."""
    done = _("The reason for the late start of %(code)s is recorded.")
    return _with_reason(
        console, service_code, ticket_id, check_explain_late_start, InvalidField, done, explaining=True
    )


@bp.post("/loket/<console>/tiket/<int:ticket_id>/prioritas")
@staff_only
def mark_priority(console: str, service_code: str, ticket_id: int) -> Response:
    """Mark a visitor's ticket as priority (a group chosen) or regular (none chosen)."""
    form = PriorityForm()
    settings = current_runtime().settings
    group = form.priority.data or "" if form.validate_on_submit() else None
    if group is None:
        return refused(console, _("The form was not accepted; try again."))
    mark = functools.partial(check_mark_priority, group=group, groups=settings.priority_codes)
    done = _("%(code)s is marked as priority.") if group else _("%(code)s is no longer priority.")
    return _act(console, service_code, ticket_id, mark, done)


def _with_reason(
    console: str,
    service_code: str,
    ticket_id: int,
    action: Callable[..., Any],
    asks_again: type[PustakaError],
    done: str,
    *,
    explaining: bool,
) -> Response | tuple[str, int]:
    """Run a ticket action that takes a reason for a delay; a reason wanted or refused shows the
    console again with the reason's field at the ticket (the late starts' list when `explaining`)."""
    form = StartForm()

    def again() -> tuple[str, int]:
        if explaining:
            return render_console(console, service_code, explain_form=form, explain_for=ticket_id), 400
        return render_console(console, service_code, start_form=form, reason_for=ticket_id), 400

    if not form.validate_on_submit():
        return (
            again()
            if form.breach_reason.errors
            else refused(console, _("The form was not accepted; try again."))
        )
    rt = current_runtime()
    where = QueueRef(rt.settings.office, service_code)
    reason = form.breach_reason.data or ""
    with refusals(to_error_page=NotAllowed) as attempt, rt.transaction() as uow:
        code = action(uow, current_actor(), ticket_id, rt.now(), reason, at=where).code
    if attempt.failed and isinstance(attempt.error, asks_again):
        form.breach_reason.errors = [attempt.message]
        return again()
    if attempt.failed:
        return refused(console, attempt.message)
    flash(done % {"code": code}, "success")
    return redirect(url_for("queue.console_page", console=console), code=303)


def _act(
    console: str,
    service_code: str,
    ticket_id: int,
    action: Callable[..., Any],
    done: str,
    *,
    tell: bool = False,
) -> Response:
    """Run one ticket action from its button and go back to the console with what happened.

    `tell`: the action is a call, which the visitors of the queue may be told on their phone.
    """
    if not ActionForm().validate_on_submit():
        return refused(console, _("The form was not accepted; try again."))
    rt = current_runtime()
    where = QueueRef(rt.settings.office, service_code)
    with refusals(to_error_page=NotAllowed) as attempt, rt.transaction() as uow:
        code = action(uow, current_actor(), ticket_id, rt.now(), at=where).code
        if tell:
            tell_phones(uow, rt, ticket_id)
    if attempt.failed:
        return refused(console, attempt.message)
    flash(done % {"code": code}, "success")
    return redirect(url_for("queue.console_page", console=console), code=303)
