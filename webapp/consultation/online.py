"""The user's pages of online consultations: the form (after a search), their list, one thread."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.accounts.ratelimit import TooManyAttempts
from library.consultation.appointments import check_answer_appointment
from library.consultation.consultations import MIN_QUESTION, check_open_consultation, check_user_reply
from library.consultation.helpful import check_close_helpful, may_close_helpful
from library.consultation.read_models import attachment_file, consultation_view, list_my_consultations
from library.consultation.reopen import check_reopen, reopen_until
from library.consultation.silence import silent_close_at
from library.consultation.staff import consultation_event
from library.consultation.topics import suggested_topics
from library.knowledge.read_models import latest_published
from library.models import User
from library.quality.survey import invitation_for
from library.uow import UnitOfWork
from runtime import links
from webapp.auth import client_address, current_actor, login_manager, role_required
from webapp.consultation.blueprint import bp
from webapp.consultation.forms import MessageForm, OnlineConsultationForm, sent_attachments
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.sending import send_stored

COMMON_ANSWERS = 5  # the latest published knowledge-base entries the form shows first


@bp.route("/konsultasi/baru", methods=["GET", "POST"])
def new() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Offer a library search first, then the consultation form; send it (every problem shown at once).

    Anyone may read the page (it is linked from the home page and the menu); only someone signed
    in sees the form and may send it.
    """
    actor = current_actor()
    if actor is None and request.method == "POST":
        return login_manager.unauthorized()
    form = OnlineConsultationForm()
    if actor is not None and form.validate_on_submit():
        with refusals(form) as attempt:
            number = _open_consultation(actor, form)
        if not attempt.failed:
            flash(_("Your consultation %(number)s has been received.", number=number), "success")
            return redirect(url_for("consultation.detail", number=number), code=303)
        if isinstance(attempt.error, TooManyAttempts):  # past the limit: 429, and when to try again
            page = _new_page(form, verified=actor.email_verified)[0]
            return page, attempt.status, {"Retry-After": str(attempt.error.retry_after_seconds)}
    return _new_page(form, verified=actor is not None and actor.email_verified)


def _open_consultation(actor: User, form: OnlineConsultationForm) -> str:
    """Open the consultation the form asks for, with its files, in its own transaction; return its number."""
    rt = current_runtime()
    rules = rt.consultation_rules()
    with rt.transaction() as uow:
        number = check_open_consultation(
            uow,
            actor,
            form.to_input(),
            rules,
            rt.now(),
            sent_attachments(rt.store),
            throttle=rt.throttle,
            client=client_address(),
            post=rt.consultation_post(),
        )
    rt.jobs.alert_consultants(number)  # committed: the consultants are told from a job
    return number


def _new_page(form: OnlineConsultationForm, *, verified: bool) -> tuple[str, int]:
    """Render the consultation page with the latest answers and topics (400 when the form has problems)."""
    rt = current_runtime()
    with rt.uow() as uow:
        answers = latest_published(uow, COMMON_ANSWERS)
        topics = suggested_topics(uow)
    return render_template(
        "consultation/new.html",
        form=form,
        verified=verified,
        answers=answers,
        topics=topics,
        min_question=MIN_QUESTION,
        sla_days=rt.consultation_rules().sla_working_days,
        phone_messages=bool(rt.settings.phone_channel),  # the office tells phones: it may be asked
    ), 400 if form.errors or form.form_errors else 200


@bp.get(links.MY_CONSULTATIONS)
def mine() -> Response | str:
    """List the signed-in person's consultations, newest first; show anyone else how to ask for one."""
    if current_actor() is None:
        return redirect(url_for("consultation.new"))
    with current_runtime().uow() as uow:
        found = list_my_consultations(uow, current_actor())
    return render_template("consultation/mine.html", consultations=found)


@bp.get(links.CONSULTATION_PAGE)
@role_required()
def detail(number: str) -> str:
    """Show one consultation and its thread to the person who asked (consultants see the desk page)."""
    return _page(number, MessageForm())


@bp.post(links.CONSULTATION_PAGE)
@role_required()
def reply(number: str) -> Response | tuple[str, int]:
    """Add the person's message to the thread and tell the consultant."""
    rt = current_runtime()
    form = MessageForm()
    if not form.validate_on_submit():
        return _page(number, form), 400
    return _write(
        number,
        form,
        lambda uow: check_user_reply(
            uow,
            current_actor(),
            number,
            form.body.data or "",
            rt.now(),
            rt.consultation_post(),
            sent_attachments(rt.store),
        ),
        _("Your message has been sent."),
    )


@bp.post(links.CONSULTATION_PAGE + "/buka-kembali")
@role_required()
def reopen(number: str) -> Response | tuple[str, int]:
    """Reopen the person's closed consultation with their message, within the grace period."""
    rt = current_runtime()
    form = MessageForm()
    if not form.validate_on_submit():
        return _page(number, form), 400
    return _write(
        number,
        form,
        lambda uow: check_reopen(
            uow,
            current_actor(),
            number,
            form.body.data or "",
            rt.consultation_rules(),
            rt.now(),
            rt.consultation_post(),
            sent_attachments(rt.store),
        ),
        _("Your consultation is open again; the consultant has been told."),
    )


@bp.post(links.CONSULTATION_PAGE + "/selesai")
@role_required()
def close_helpful(number: str) -> Response | tuple[str, int]:
    """Close the person's answered consultation as helpful; the SKM survey is offered at once."""
    rt = current_runtime()
    form = MessageForm()
    if not ActionForm().validate_on_submit():
        return _page(number, form), 400
    return _write(
        number,
        form,
        lambda uow: check_close_helpful(uow, current_actor(), number, rt.now(), rt.consultation_post()),
        _("Thank you! Your consultation is closed; please rate our service on this page."),
    )


@bp.post(links.CONSULTATION_PAGE + "/janji/<int:appointment_id>")
@role_required()
def answer_appointment(number: str, appointment_id: int) -> Response | tuple[str, int]:
    """Accept a proposed appointment, or ask for another time with a message; the consultant is told."""
    rt = current_runtime()
    form = MessageForm()
    answer = request.form.get("answer", "")
    if answer not in ("accept", "another") or not form.validate_on_submit():
        return _page(number, form), 400
    accept = answer == "accept"
    return _write(
        number,
        form,
        lambda uow: check_answer_appointment(
            uow,
            current_actor(),
            number,
            appointment_id,
            accept=accept,
            body=form.body.data or "",
            now=rt.now(),
            post=rt.consultation_post(),
            attachments=sent_attachments(rt.store),
        ),
        _("Appointment accepted.") if accept else _("Your request for another time has been sent."),
    )


def _write(
    number: str, form: MessageForm, use_case: Callable[[UnitOfWork], object], done: str
) -> Response | tuple[str, int]:
    """Run the person's step in its own transaction; then go back to the thread, or show the problem there."""
    with refusals(form) as attempt, current_runtime().transaction() as uow:
        use_case(uow)
    if attempt.failed:
        return _page(number, form), attempt.status
    flash(done, "success")
    return redirect(url_for("consultation.detail", number=number), code=303)


@bp.get(links.CONSULTATION_PAGE + "/lampiran/<int:attachment_id>")
@role_required()
def attachment(number: str, attachment_id: int) -> Response:
    """Send a consultation's attachment to the person who asked or a consultant (anyone else: 404)."""
    rt = current_runtime()
    with rt.uow() as uow:
        found = attachment_file(uow, current_actor(), number, attachment_id)
    return send_stored(rt, found.sha256, found.filename, mimetype=found.media_type)


def _page(number: str, form: MessageForm) -> str:
    """Render the person's page of a consultation, with the survey and the way to reopen once it is closed."""
    rt = current_runtime()
    actor = current_actor()
    rules = rt.consultation_rules()
    now = rt.now()
    with rt.uow() as uow:
        view = consultation_view(uow, actor, number)
        owner = actor is not None and actor.id == view.user_id
        # The invitation waits for its answer, but a consultation reopened is not to be rated yet.
        rate = owner and view.closed
        survey = invitation_for(uow, consultation_event(view.summary.number), now) if rate else None
        closes_at = silent_close_at(uow, rules, view.summary.number)
    until = reopen_until(view.closed_at, rules)
    return render_template(
        "consultation/detail.html",
        c=view,
        form=form,
        owner=owner,
        survey=survey,
        may_close=owner and may_close_helpful(view.summary.status),
        reopen_until=until if until is not None and now < until else None,
        reopen_days=rules.reopen_days,
        closes_at=closes_at,
    )
