"""Appointments online (/janji-temu): choose a service's slot, get a code, a calendar file, cancel.

Public: no account is needed. A booking's own page is reached by the secret in its link (shown
once booked, and in the calendar file); the code is what the visitor types at the kiosk.
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, get_locale, lazy_gettext
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import NotFound
from library.frontoffice.appointment_mail import booking_confirmation, booking_ics
from library.frontoffice.appointments import (
    Slot,
    book,
    bookable_services,
    cancel,
    find_booking,
    open_slots,
)
from library.models import Booking, BookingStatus, QueueService
from library.uow import UnitOfWork
from webapp.appointments.blueprint import bp
from webapp.appointments.forms import BookingForm, CancelForm
from webapp.auth import client_address
from webapp.current_runtime import current_runtime
from webapp.forms import refusals

PRIVATE = {"Cache-Control": "private, no-store"}
STATUS_LABELS = {
    BookingStatus.BOOKED: lazy_gettext("Booked"),
    BookingStatus.ARRIVED: lazy_gettext("Used at the kiosk"),
    BookingStatus.CANCELLED: lazy_gettext("Cancelled"),
}


@bp.app_context_processor
def booking_link() -> dict[str, bool]:
    """Tell every page whether the office takes bookings (the footer links the form)."""
    return {"bookings_open": bool(current_runtime().settings.appointment_services.strip())}


@bp.route("", methods=["GET", "POST"])
def new() -> Response | tuple[str, int, dict[str, str]]:
    """Show the office's bookable services and a service's free slots; book one."""
    rt = current_runtime()
    form = BookingForm()
    chosen = request.values.get("service") or request.args.get("layanan", "")
    rules = rt.slot_rules()  # the settings read once for the request
    with rt.uow() as uow:
        services = bookable_services(uow, rules, rt.settings.office)
        service = next((s for s in services if s.code == chosen), services[0] if len(services) == 1 else None)
        slots = open_slots(uow, rules, rt.calendar(), service, rt.now()) if service else []
        uow.session.expunge_all()
    if not services:
        abort(404)
    if form.validate_on_submit() and service is not None:
        with refusals(form) as attempt, rt.transaction() as uow:
            booked = book(uow, rules, rt.calendar(), rt.throttle, form.to_entry(_language()),
                          office_code=rt.settings.office, client=client_address(), now=rt.now())  # fmt: skip
            token = booked.token
            _confirm(uow, booked)
        if not attempt.failed:
            return redirect(url_for("appointments.booking", token=token), code=303)
    return _form_page(form, services, service, slots)


def _confirm(uow: UnitOfWork, booked: Booking) -> None:
    """Email the booking to the visitor who gave an address, once it commits."""
    if booked.email:
        rt = current_runtime()
        page = rt.links.booking(booked.token)  # the office's address, never the request's Host
        minutes, grace = rt.settings.appointment_slot_minutes, rt.settings.appointment_grace_minutes
        rt.mailer.send_after_commit(uow, booking_confirmation(booked, rt.timezone(), minutes, grace, page))


def _form_page(
    form: BookingForm, services: list[QueueService], service: QueueService | None, slots: list[Slot]
) -> tuple[str, int, dict[str, str]]:
    """Render the booking form (400 with the answers refused)."""
    if service is not None:
        form.service.data = service.code
        form.slot.choices = _choices(slots)
    page = render_template("appointments/new.html", form=form, services=services, service=service)
    return page, 400 if form.errors else 200, PRIVATE


def _choices(slots: list[Slot]) -> dict[str, list[tuple[str, str, dict]]]:
    """Group the slots by day for the select: (value, label, attributes); full ones disabled."""
    grouped: dict[str, list[tuple[str, str, dict]]] = {}
    for slot in slots:
        label = (
            slot.starts.strftime("%H.%M")
            if slot.left
            else _("%(time)s (full)", time=slot.starts.strftime("%H.%M"))
        )
        value = f"{slot.day.isoformat()}T{slot.starts.strftime('%H:%M')}"
        attributes = {} if slot.left else {"disabled": "disabled"}
        grouped.setdefault(format_date(slot.day, "full"), []).append((value, label, attributes))
    return grouped


def _language() -> str:
    """Return the visitor's language: the booking's page and messages speak it."""
    return str(get_locale() or "id")


@bp.get("/<token>")
def booking(token: str) -> tuple[str, int, dict[str, str]]:
    """Show a booking: its code, service, day and time, and a button to cancel it."""
    rt = current_runtime()
    with rt.uow() as uow:
        row = _found(uow, token)
        page = render_template(
            "appointments/booking.html",
            booking=row,
            service=row.service,
            form=CancelForm(),
            booked=row.status == BookingStatus.BOOKED.value,
            status_label=STATUS_LABELS[BookingStatus(row.status)],
            day=format_date(row.day, "full"),
            grace=rt.settings.appointment_grace_minutes,
        )
    return page, 200, PRIVATE


@bp.get("/<token>/janji-temu.ics")
def calendar_file(token: str) -> Response:
    """Send the booking as an iCalendar file."""
    rt = current_runtime()
    with rt.uow() as uow:
        row = _found(uow, token)
        page = url_for("appointments.booking", token=token, _external=True)
        text = booking_ics(row, rt.timezone(), rt.slot_rules().slot_minutes, page)
    response = make_response(text)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="janji-temu.ics"'
    return response


@bp.post("/<token>/batal")
def cancel_booking(token: str) -> Response:
    """Cancel a booking not used yet; its seat is free again."""
    rt = current_runtime()
    if CancelForm().validate_on_submit():
        with refusals() as attempt, rt.transaction() as uow:
            cancel(uow, token, rt.now())
        flash(attempt.message if attempt.failed else _("Your appointment is cancelled."), "info")
    return redirect(url_for("appointments.booking", token=token), code=303)


def _found(uow: UnitOfWork, token: str) -> Booking:
    """Return the booking of a link, or answer 404 in the visitor's language."""
    try:
        return find_booking(uow, token)
    except NotFound:
        abort(404)
