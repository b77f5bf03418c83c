"""The staff consoles, one per service: open and close a counter, call the next visitor, see the queue.

Each staff member names their counter once (kept in the session, per console). Every button is a
small POST form with its CSRF token, answered with a 303 back to the console and a flash message;
a domain refusal becomes a flash message too, never an error page, except a late start, which
shows the console again with a field for the reason. The waiting list refreshes itself from
`/loket/<console>/daftar` (a fragment of the page). The buttons on one visitor's ticket (call
again, start, finish, no-show, transfer, priority) are `webapp.queue.ticket_actions`'; the
consultation console also takes what the consultant records of each consultation
(`consultation_records`), which finishing one needs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.consultation.topics import suggested_topics
from library.errors import NotAllowed
from library.frontoffice.queue.actions import (
    call_next,
    check_close_counter,
    check_open_counter,
    counter_name,
)
from library.frontoffice.queue.at_work import QueueRef
from library.frontoffice.queue.board import board_view
from library.frontoffice.queue.read_models import console_view
from library.frontoffice.queue.supervision import last_close
from library.models import Referral
from library.models.labels import REFERRALS
from library.permissions import may_work_queue
from webapp.auth import current_actor, login_manager
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.queue.blueprint import bp
from webapp.queue.forms import ConsultationRecordForm, CounterForm, StartForm
from webapp.queue.phones import tell_phones

# The address of each console and the queue it works.
CONSOLES = {"perpustakaan": "library", "konsultasi": "consultation"}
REFRESH_SECONDS = 10  # how often the waiting list refreshes itself
F = TypeVar("F", bound=Callable[..., Any])


def staff_only(view: F) -> F:
    """Let in only staff who may work the console's queue; signed out: to the sign-in page."""

    @functools.wraps(view)
    def guarded(console: str, **kwargs: Any) -> Any:
        service_code = CONSOLES.get(console)
        if service_code is None:
            abort(404)
        actor = current_actor()
        if actor is None:
            return login_manager.unauthorized()
        if not may_work_queue(actor, service_code):
            abort(403)
        return view(console, service_code, **kwargs)

    return cast(F, guarded)


@bp.get("/loket/")
def consoles() -> Any:
    """List the consoles the signed-in staff member may open, and the board."""
    actor = current_actor()
    if actor is None:
        return login_manager.unauthorized()
    rt = current_runtime()
    with rt.uow() as uow:
        board = board_view(uow, rt.settings.office, rt.now())
    slugs = {code: slug for slug, code in CONSOLES.items()}
    mine = [
        (slugs[service.code], service)
        for service in board.services
        if service.code in slugs and may_work_queue(actor, service.code)
    ]
    if not mine:
        abort(403)
    return render_template("queue/consoles.html", consoles=mine)


@bp.get("/loket/<console>")
@staff_only
def console_page(console: str, service_code: str) -> str:
    """Show a service's console: the counters, the waiting list and the buttons."""
    return render_console(console, service_code)


@bp.get("/loket/<console>/daftar")
@staff_only
def live_fragment(console: str, service_code: str) -> str:
    """Return the part of the console that refreshes itself: counters, waiting list, counts."""
    return render_console(console, service_code, template="queue/_live.html")


@bp.post("/loket/<console>/loket")
@staff_only
def choose_counter(console: str, service_code: str) -> Response | tuple[str, int]:
    """Remember the counter this staff member works at, for this console."""
    form = CounterForm()
    if form.validate_on_submit():
        with refusals(form) as attempt:  # the name's field says what is wrong with it
            name = counter_name(form.counter.data or "")
        if not attempt.failed:
            rt = current_runtime()
            with rt.transaction() as uow:
                check_open_counter(uow, current_actor(), rt.settings.office, service_code, name, rt.now())
            session[counter_key(service_code)] = name
            flash(_("%(counter)s is open: you call visitors to it.", counter=name), "success")
            return redirect(url_for("queue.console_page", console=console), code=303)
    return render_console(console, service_code, counter_form=form), 400


@bp.post("/loket/<console>/tutup-loket")
@staff_only
def close_counter(console: str, service_code: str) -> Response:
    """Close this staff member's counter: the wait estimate stops counting it."""
    if not ActionForm().validate_on_submit():
        return refused(console, _("The form was not accepted; try again."))
    counter = session.get(counter_key(service_code), "")
    if not counter:
        return refused(console, _("Choose the counter you work at first."))
    rt = current_runtime()
    with refusals(to_error_page=NotAllowed) as attempt, rt.transaction() as uow:
        check_close_counter(uow, current_actor(), rt.settings.office, service_code, counter, rt.now())
    if attempt.failed:
        return refused(console, attempt.message)
    session.pop(counter_key(service_code), None)
    flash(_("%(counter)s is closed.", counter=counter), "success")
    return redirect(url_for("queue.console_page", console=console), code=303)


@bp.post("/loket/<console>/panggil")
@staff_only
def call(console: str, service_code: str) -> Response:
    """Call the next waiting visitor to this staff member's counter."""
    if not ActionForm().validate_on_submit():
        return refused(console, _("The form was not accepted; try again."))
    counter = session.get(counter_key(service_code), "")
    rt = current_runtime()
    with refusals(to_error_page=NotAllowed) as attempt, rt.transaction() as uow:
        ticket = call_next(
            uow,
            current_actor(),
            rt.settings.office,
            service_code,
            counter,
            rt.now(),
            rt.priority_policy(),
        )
        code = ticket.code
        tell_phones(uow, rt, ticket.id)
    if attempt.failed:
        return refused(console, attempt.message)
    flash(_("%(code)s is called to %(counter)s.", code=code, counter=counter), "success")
    return redirect(url_for("queue.console_page", console=console), code=303)


@bp.get("/loket/<console>/loket")
@bp.get("/loket/<console>/tutup-loket")
@bp.get("/loket/<console>/panggil")
@bp.get("/loket/<console>/tiket/<int:ticket_id>/<action>")
@staff_only
def back_to_console(console: str, service_code: str, **_ignored: object) -> Response:
    """Send a reload of a button's address (after a refused form) back to the console."""
    return redirect(url_for("queue.console_page", console=console), code=303)


def refused(console: str, message: str) -> Response:
    """Go back to the console with a refusal's message."""
    flash(message, "error")
    return redirect(url_for("queue.console_page", console=console), code=303)


def counter_key(service_code: str) -> str:
    """Return the session key of the counter chosen for a queue's console."""
    return f"counter:{service_code}"


def render_console(
    console: str,
    service_code: str,
    *,
    template: str = "queue/console.html",
    counter_form: CounterForm | None = None,
    start_form: StartForm | None = None,
    reason_for: int | None = None,
    record_form: ConsultationRecordForm | None = None,
    record_for: int | None = None,
    explain_form: StartForm | None = None,
    explain_for: int | None = None,
) -> str:
    """Render the console (or its refreshing part) of a queue as it stands now."""
    rt = current_runtime()
    with rt.uow() as uow:
        view = console_view(uow, current_actor(), rt.settings.office, service_code, rt.now())
        topics = suggested_topics(uow) if view.records else []
        chosen = session.get(counter_key(service_code), "")
        # A counter closed since it was chosen (by its staff elsewhere, at the close of day, or by the
        # supervisor: then who, when and why) is offered again to open, not called to.
        counter = chosen if chosen in view.open_counters else ""
        closed_by = None
        if chosen and not counter:
            where = QueueRef(rt.settings.office, service_code)
            closed_by = last_close(uow, where, chosen, getattr(current_actor(), "id", None), rt.now())
    form = counter_form or CounterForm(counter=chosen)
    return render_template(
        template,
        console=console,
        view=view,
        counter=counter,
        closed_counter=chosen if chosen and not counter else "",
        closed_by=closed_by,
        counter_form=form,
        start_form=start_form or StartForm(),
        reason_for=reason_for,
        record_form=record_form,
        record_for=record_for,
        explain_form=explain_form,
        explain_for=explain_for,
        referral_choices=[(referral.value, _(REFERRALS[referral])) for referral in Referral],
        refresh_seconds=REFRESH_SECONDS,
        topics=topics,
        priority_groups=rt.settings.priority_codes,
    )
