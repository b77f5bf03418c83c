"""The consultants' desk: open consultations by deadline, and one consultation's steps and thread."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.consultation.appointments import check_propose_appointment
from library.consultation.read_models import consultation_view, list_consultants, list_desk
from library.consultation.recorded import check_record_consultation
from library.consultation.silence import silent_close_at
from library.consultation.staff import (
    StaffMessage,
    check_assign,
    check_close,
    check_mark_clear,
    check_staff_message,
)
from library.i18n import N_
from library.models import ConsultationAction, Role
from library.uow import UnitOfWork
from runtime import links
from webapp.auth import current_actor, role_required
from webapp.consultation.blueprint import bp
from webapp.consultation.forms import AppointmentForm, AssignForm, MessageForm, RecordForm, sent_attachments
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals

# What the message form's buttons mean. The main one ("reply") sends the message, which on a clear
# and complete question is its answer; "note" writes without answering; the others ask or answer.
ACTIONS = {
    "reply": StaffMessage.SEND,
    "note": StaffMessage.NOTE,
    "ask": StaffMessage.ASK,
    "answer": StaffMessage.ANSWER,
}
DONE = {
    "reply": N_("Your message has been sent to the user."),
    "note": N_("Your message has been sent to the user."),
    "ask": N_("The user has been asked for clarification."),
    "answer": N_("The answer has been sent to the user."),
}


@bp.get("/meja/konsultasi")
@role_required(Role.CONSULTANT)
def desk() -> str:
    """List the open consultations, soonest deadline first, amber and red as on the queue console."""
    rt = current_runtime()
    with rt.uow() as uow:
        found = list_desk(uow, current_actor())
    return render_template("consultation/staff.html", consultations=found, now=rt.now())


@bp.route("/meja/konsultasi/catat", methods=["GET", "POST"])
@role_required(Role.CONSULTANT)
def record() -> Response | tuple[str, int] | str:
    """Record a consultation received by telephone or social media; it then runs as any other."""
    form = RecordForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("consultation/record.html", form=form), 400 if form.is_submitted() else 200
    rt = current_runtime()
    with refusals(form) as attempt, rt.transaction() as uow:
        number = check_record_consultation(
            uow, current_actor(), form.to_input(), rt.consultation_rules(), rt.now()
        )
    if attempt.failed:
        return render_template("consultation/record.html", form=form), attempt.status
    flash(_("Consultation %(number)s is recorded; it is assigned to you.", number=number), "success")
    return redirect(url_for("consultation.desk_page", number=number), code=303)


@bp.get(links.DESK_CONSULTATION_PAGE)
@role_required(Role.CONSULTANT)
def desk_page(number: str) -> str:
    """Show one consultation with its thread, history and the steps a consultant can take."""
    return _desk_page(number)


@bp.post("/meja/konsultasi/<number>/tugaskan")
@role_required(Role.CONSULTANT)
def assign(number: str) -> Response | tuple[str, int]:
    """Assign the consultation to a consultant (the use case checks the choice)."""
    rt = current_runtime()
    consultant = request.form.get("consultant", 0, type=int)
    return _step(
        number,
        lambda uow: check_assign(uow, current_actor(), number, consultant, rt.now()),
        _("The consultation has been assigned."),
        guarded=True,
    )


@bp.post("/meja/konsultasi/<number>/pesan")
@role_required(Role.CONSULTANT)
def message(number: str) -> Response | tuple[str, int]:
    """Write to the user: a message, a request for clarification, or the answer; the user is emailed."""
    form = MessageForm()
    kind = request.form.get("action", "reply")
    if kind not in ACTIONS or not form.validate_on_submit():
        return _desk_page(number, message_form=form), 400
    rt = current_runtime()
    return _step(
        number,
        lambda uow: check_staff_message(
            uow,
            current_actor(),
            number,
            form.body.data or "",
            ACTIONS[kind],
            rt.now(),
            rt.consultation_post(),
            attachments=sent_attachments(rt.store),
        ),
        lambda action: _done(kind, action),
        message_form=form,
    )


def _done(kind: str, action: object) -> str:
    """Say what the consultant's message did (an answer sent whatever button was pressed)."""
    message = DONE["answer"] if action is ConsultationAction.ANSWERED else DONE[kind]
    return _(message)


@bp.post("/meja/konsultasi/<number>/janji")
@role_required(Role.CONSULTANT)
def propose_appointment(number: str) -> Response | tuple[str, int]:
    """Propose a follow-up appointment; the user is emailed it with a calendar file."""
    form = AppointmentForm()
    if not form.validate_on_submit():
        return _desk_page(number, appointment_form=form), 400
    rt = current_runtime()
    wanted = form.to_input()
    with refusals(form) as attempt, rt.transaction() as uow:
        check_propose_appointment(
            uow,
            current_actor(),
            number,
            wanted,
            rt.consultation_rules(),
            rt.now(),
            rt.consultation_post(),
        )
    if attempt.failed:
        return _desk_page(number, appointment_form=form), attempt.status
    flash(_("The appointment has been proposed; the user was emailed it with a calendar file."), "success")
    return redirect(url_for("consultation.desk_page", number=number), code=303)


@bp.post("/meja/konsultasi/<number>/jelas")
@role_required(Role.CONSULTANT)
def mark_clear(number: str) -> Response | tuple[str, int]:
    """Mark the question clear and complete: the clock to answer starts."""
    rt = current_runtime()
    return _step(
        number,
        lambda uow: check_mark_clear(uow, current_actor(), number, rt.consultation_rules(), rt.now()),
        _("Marked clear and complete: the answer is now due within the target."),
        guarded=True,
    )


@bp.post("/meja/konsultasi/<number>/tutup")
@role_required(Role.CONSULTANT)
def close(number: str) -> Response | tuple[str, int]:
    """Close the consultation; the user is emailed and offered the SKM survey."""
    rt = current_runtime()
    return _step(
        number,
        lambda uow: check_close(uow, current_actor(), number, rt.now(), rt.consultation_post()),
        _("The consultation is closed; the user has been invited to rate the service."),
        guarded=True,
    )


def _step(
    number: str,
    use_case: Callable[[UnitOfWork], object],
    done: str | Callable[[object], str],
    *,
    guarded: bool = False,
    message_form: MessageForm | None = None,
) -> Response | tuple[str, int]:
    """Run one step in its own transaction; on success go back to the page, else show the problem there.

    `done` is what to tell the consultant, or makes it from what the step returned.
    """
    if guarded and not ActionForm().validate_on_submit():
        return _desk_page(number, problem=_("The form expired; please try again.")), 400
    with refusals(message_form) as attempt, current_runtime().transaction() as uow:
        result = use_case(uow)
    if attempt.failed:
        problem = None if message_form is not None else attempt.message  # else it is on the form
        return _desk_page(number, problem=problem, message_form=message_form), attempt.status
    flash(done(result) if callable(done) else done, "success")
    return redirect(url_for("consultation.desk_page", number=number), code=303)


def _desk_page(
    number: str,
    *,
    problem: str | None = None,
    message_form: MessageForm | None = None,
    appointment_form: AppointmentForm | None = None,
) -> str:
    """Render a consultation's desk page with its forms (as sent, when they had problems)."""
    rt = current_runtime()
    with rt.uow() as uow:
        view = consultation_view(uow, current_actor(), number)
        consultants = list_consultants(uow, current_actor())
        closes_at = silent_close_at(uow, rt.consultation_rules(), number)
    assign_form = AssignForm(formdata=None, consultant=view.consultant_id)
    assign_form.consultant.choices = [(c.id, c.name) for c in consultants]
    return render_template(
        "consultation/staff_page.html",
        c=view,
        now=rt.now(),
        problem=problem,
        assign_form=assign_form,
        message_form=message_form or MessageForm(formdata=None),
        appointment_form=appointment_form or AppointmentForm(formdata=None),
        action_form=ActionForm(),
        sla_days=rt.consultation_rules().sla_working_days,
        closes_at=closes_at,
        survey_link=rt.links.survey(view.survey_secret) if view.survey_secret else "",
    )
