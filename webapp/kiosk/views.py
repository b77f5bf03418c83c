"""The guest book kiosk (`/buku-tamu`), the tickets it hands out, and the visitor's status page.

Every page here is public: the kiosk at the front office, a visitor's own phone (the QR code at
the door opens `/buku-tamu?ponsel=1`), and the status page the ticket's QR code opens. Pages
that carry a visit's secret in their address are never cached and never sent as a referrer.
"""

from __future__ import annotations

from functools import partial

from flask import Response, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from library.errors import NotFound
from library.frontoffice.appointments import check_in
from library.frontoffice.guest_book import (
    EntryInvalid,
    FormRefused,
    GuestBookGuard,
    check_sign_guest_book,
    guest_book_offer,
    start_form,
)
from library.frontoffice.queue.priority import ELDERLY_AGE_BAND
from library.frontoffice.receipt import render_tickets
from library.frontoffice.terminal.ticket_entry import terminal_code
from library.frontoffice.visit_status import ticket_prints, visit_status
from library.i18n import N_
from runtime import links
from webapp import i18n
from webapp.auth import client_address
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.kiosk.blueprint import bp
from webapp.kiosk.forms import GuestBookForm
from webapp.kiosk.qr import qr_svg
from webapp.sending import content_disposition

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
RESET_SECONDS = 60  # the kiosk's ticket page goes back to an empty guest book after this
REFRESH_SECONDS = 15  # the status page asks for news this often


def _guard() -> GuestBookGuard:
    """Return what an entry is checked against: the form's signed opening time, rate limits, kiosks."""
    rt = current_runtime()
    rules = rt.slot_rules()
    return GuestBookGuard(
        secret=rt.secret_key,
        throttle=rt.throttle,
        kiosks=rt.settings.kiosk_networks,
        check_in=partial(check_in, rules=rules) if rules.services else None,
    )


@bp.route("/buku-tamu", methods=["GET", "POST"])
def guest_book() -> BaseResponse | tuple[str, int, dict[str, str]]:
    """Show the guest book; take an entry and send the visitor to their tickets."""
    rt = current_runtime()
    own_device = request.values.get("ponsel") == "1"
    form = GuestBookForm()
    if form.validate_on_submit():
        # A refused entry's messages go on each answer refused, or on the whole form.
        with refusals(form, catch=(EntryInvalid, FormRefused)) as attempt, rt.transaction() as uow:
            visit = check_sign_guest_book(
                uow,
                _guard(),
                form.to_input(),
                office_code=rt.settings.office,
                now=current_runtime().now(),
                client=client_address(),
                groups=rt.settings.priority_codes,
            )
            token = visit.status_token
        if not attempt.failed:
            # On the visitor's own phone the status page is the ticket; the kiosk shows it, then resets.
            target = "kiosk.status" if own_device else "kiosk.ticket"
            return redirect(url_for(target, token=token), code=303)
        if isinstance(attempt.error, FormRefused):
            form.started.data = ""  # a new opening time: this one was refused
    return _guest_book_page(form, own_device)


def _guest_book_page(form: GuestBookForm, own_device: bool) -> tuple[str, int, dict[str, str]]:
    """Render the guest book with the office's services (400 with the answers refused)."""
    rt = current_runtime()
    with rt.uow() as uow:
        offer = guest_book_offer(uow, rt.settings.office, rt.settings.priority_codes)
    if not form.started.data:  # a form sent back for its answers keeps the time it was opened
        form.started.data = start_form(rt.secret_key, current_runtime().now())
    page = render_template(
        "kiosk/guest_book.html",
        form=form,
        offer=offer,
        office_name=offer.office_name,
        own_device=own_device,
        phone_messages=bool(rt.settings.phone_channel),  # the office tells phones: the visitor may ask
        bookings=bool(rt.settings.appointment_services.strip()),  # a booked visitor types their code
        elderly_band=ELDERLY_AGE_BAND,
    )
    return page, 400 if form.errors else 200, PRIVATE


def _status_page(
    template: str, token: str, *, on_kiosk: bool = False, **context: object
) -> tuple[str, int, dict[str, str]]:
    with current_runtime().uow() as uow:
        seen = visit_status(uow, token, current_runtime().now())
    i18n.speak(seen.language, on_kiosk=on_kiosk)  # the ticket and status page speak the visitor's language
    status_url = current_runtime().links.visit_status(seen.token)
    qr = qr_svg(status_url, _("QR code of your status page"))
    # A library ticket opens a terminal session with its QR or this code (never its number).
    library = any(t.service_code == "library" for t in seen.tickets)
    page = render_template(
        template,
        visit=seen,
        terminal_code=terminal_code(seen.token) if library else "",
        office_name=seen.office_name,
        status_url=status_url,
        qr=qr,
        updated_at=current_runtime().now(),
        **context,
    )
    return page, 200, PRIVATE


@bp.get("/buku-tamu/tiket/<token>")
def ticket(token: str) -> BaseResponse:
    """Show the kiosk's tickets of a new visit, until the visitor is done or the kiosk resets."""
    response = make_response(
        _status_page("kiosk/ticket.html", token, on_kiosk=True, reset_seconds=RESET_SECONDS)
    )
    # This visitor reads their ticket in the language they chose; the next one starts in the site's own.
    response.delete_cookie(i18n.COOKIE)
    return response


@bp.get(links.VISIT_STATUS)
def status(token: str) -> tuple[str, int, dict[str, str]]:
    """Show a visitor where their tickets stand; the page refreshes itself."""
    rt = current_runtime()
    push_key = rt.web_push_public_key() if rt.settings.web_push else ""
    return _status_page("kiosk/status.html", token, refresh_seconds=REFRESH_SECONDS, push_key=push_key)


@bp.get(links.VISIT_STATUS + "/tiket.pdf")
def ticket_pdf(token: str) -> Response:
    """Send a visit's tickets as a PDF for the 80 mm receipt printer."""
    with current_runtime().uow() as uow:
        prints = ticket_prints(
            uow, token, current_runtime().links.visit_status(token), now=current_runtime().now()
        )
    if not prints:
        raise NotFound(N_("This visit has no queue ticket."))
    name = "tiket-" + "-".join(p.code for p in prints) + ".pdf"
    return Response(
        render_tickets(prints),
        mimetype="application/pdf",
        headers={"Content-Disposition": content_disposition(name, inline=True), **PRIVATE},
    )
