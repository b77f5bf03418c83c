"""The front-office console for lockers: give a locker against an ID card, take it back, see visitors out."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from library.errors import InvalidField, NotFound
from library.frontoffice.lockers.staff import LockerDesk, check_hand_out_locker, front_desk
from library.frontoffice.lockers.stock import (
    Departure,
    HeldCard,
    LockerConflict,
    check_depart,
    check_return_locker,
)
from library.i18n import N_
from library.models import Role, TicketStatus
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.i18n import enum_label
from webapp.lockers.blueprint import ID, bp, refusal_status
from webapp.lockers.forms import GiveLockerForm

# How a ticket stands, in a word beside its code.
TICKET_WORDS = {
    TicketStatus.WAITING: N_("waiting"),
    TicketStatus.CALLED: N_("called"),
    TicketStatus.SERVING: N_("being served"),
    TicketStatus.DONE: N_("done"),
    TicketStatus.NO_SHOW: N_("no-show"),
    TicketStatus.TRANSFERRED: N_("transferred"),
}


@bp.get("/loket/loker")
@role_required(Role.FRONT_OFFICE)
def console() -> tuple[str, int]:
    """Show today's visits, the free lockers, the give-locker form and every card held."""
    form = GiveLockerForm(formdata=None)
    chosen = request.args.get("kunjungan", "")
    if chosen.isdigit() and len(chosen) <= 10:
        form.visit.data = chosen
    return _page(form)


@bp.post("/loket/loker/beri")
@role_required(Role.FRONT_OFFICE)
def give() -> Response | tuple[str, int]:
    """Give the chosen visitor a locker against their ID card."""
    rt = current_runtime()
    form = GiveLockerForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    with (
        refusals(form, catch=(InvalidField, NotFound, LockerConflict), status=refusal_status) as attempt,
        rt.transaction() as uow,
    ):
        held = check_hand_out_locker(uow, current_actor(), rt.settings.office, form.to_input(), rt.now())
    if attempt.failed:
        form.card_last4.data = ""  # never shown again: it may be a whole NIK
        return _page(form, status=attempt.status)
    flash(given_message(held), "success")
    return redirect(url_for("lockers.console"), code=303)


@bp.post(f"/loket/loker/pinjaman/<{ID}:loan_id>/kembalikan")
@role_required(Role.FRONT_OFFICE)
def give_back(loan_id: int) -> Response | tuple[str, int]:
    """Give the visitor their ID card back and free the locker."""
    rt = current_runtime()
    if not ActionForm().validate_on_submit():
        return _page(GiveLockerForm(formdata=None), _("The form could not be read; please try again."), 400)
    with (
        refusals(catch=(NotFound, LockerConflict), status=refusal_status) as attempt,
        rt.transaction() as uow,
    ):
        held = check_return_locker(uow, current_actor(), loan_id, rt.now())
    if attempt.failed:
        return _page(GiveLockerForm(formdata=None), attempt.message, attempt.status)
    flash(
        _(
            "%(name)s has their %(card)s ending %(last4)s back; locker %(locker)s is free.",
            name=held.visitor,
            card=enum_label(held.card_kind),
            last4=held.card_last4,
            locker=held.locker,
        ),
        "success",
    )
    return redirect(url_for("lockers.console"), code=303)


@bp.post(f"/loket/loker/kunjungan/<{ID}:visit_id>/pulang")
@role_required(Role.FRONT_OFFICE)
def depart(visit_id: int) -> Response | tuple[str, int]:
    """Close the visit as the visitor leaves: their card back, every open ticket and session closed."""
    rt = current_runtime()
    if not ActionForm().validate_on_submit():
        return _page(GiveLockerForm(formdata=None), _("The form could not be read; please try again."), 400)
    with refusals(catch=NotFound, status=refusal_status) as attempt, rt.transaction() as uow:
        departure = check_depart(uow, current_actor(), visit_id, rt.now(), rt.jobs)
    if attempt.failed:
        return _page(GiveLockerForm(formdata=None), attempt.message, attempt.status)
    for message, category in departure_messages(departure):
        flash(message, category)
    return redirect(url_for("lockers.console"), code=303)


@bp.get("/loket/loker/tutup")
@role_required(Role.FRONT_OFFICE)
def closing() -> str:
    """List, for closing time, every ID card still held (printable)."""
    rt = current_runtime()
    now = rt.now()
    with rt.uow() as uow:
        desk = front_desk(uow, current_actor(), rt.settings.office, now)
    return render_template("lockers/closing.html", desk=desk, now=now, duration=duration)


def given_message(held: HeldCard) -> str:
    """Say which locker a visitor was given, and which of their cards is held for it."""
    return _(
        "Locker %(locker)s is given to %(name)s; their %(card)s ending %(last4)s is held.",
        locker=held.locker,
        name=held.visitor,
        card=enum_label(held.card_kind),
        last4=held.card_last4,
    )


def departure_messages(departure: Departure) -> list[tuple[str, str]]:
    """Say what a visitor's leaving changed, one flash message per thing."""
    name = departure.visitor
    if departure.already_left and not departure.cards:
        return [(_("%(name)s had already left; nothing has changed.", name=name), "info")]
    messages = [(_("%(name)s has left.", name=name), "success")] if not departure.already_left else []
    messages += [
        (
            _(
                "Give back the %(card)s ending %(last4)s from locker %(locker)s.",
                card=enum_label(card.card_kind),
                last4=card.card_last4,
                locker=card.locker,
            ),
            "success",
        )
        for card in departure.cards
    ]
    if departure.no_show:
        messages.append(
            (
                ngettext(
                    "Ticket %(codes)s was still waiting: it is closed as a no-show.",
                    "Tickets %(codes)s were still waiting: they are closed as no-shows.",
                    len(departure.no_show),
                    codes=", ".join(departure.no_show),
                ),
                "info",
            )
        )
    if departure.finished:
        messages.append(
            (
                ngettext(
                    "Ticket %(codes)s was being served: its service is closed as finished now.",
                    "Tickets %(codes)s were being served: their services are closed as finished now.",
                    len(departure.finished),
                    codes=", ".join(departure.finished),
                ),
                "info",
            )
        )
    if departure.terminals:
        messages.append(
            (
                _(
                    "Their terminal session at %(terminals)s has ended.",
                    terminals=", ".join(departure.terminals),
                ),
                "info",
            )
        )
    return messages


def duration(length: dt.timedelta) -> str:
    """Write how long a card has been held: minutes, hours and minutes, or days and hours."""
    minutes = int(length.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return _("%(days)s d %(hours)s h", days=days, hours=hours)
    if hours:
        return _("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
    return _("%(minutes)s min", minutes=minutes)


def _page(form: GiveLockerForm, error: str = "", status: int = 200) -> tuple[str, int]:
    """Render the console with the give-locker form (its choices are today's visits and free lockers)."""
    rt = current_runtime()
    with rt.uow() as uow:
        desk = front_desk(uow, current_actor(), rt.settings.office, rt.now())
    _offer(form, desk)
    return render_template(
        "lockers/console.html",
        desk=desk,
        form=form,
        error=error,
        action=ActionForm(),
        duration=duration,
        ticket_words=TICKET_WORDS,
    ), status


def _offer(form: GiveLockerForm, desk: LockerDesk) -> None:
    """Fill the form's lists: visitors still here without a locker, and the free lockers."""
    waiting = [v for v in desk.visits if v.left_at is None and v.card is None]
    form.visit.choices = [("", _("Choose a visitor"))] + [
        (str(v.id), " · ".join([v.name, *(t.code for t in v.tickets)])) for v in waiting
    ]
    form.locker.choices = [(str(x.id), x.label) for x in desk.free_lockers]
