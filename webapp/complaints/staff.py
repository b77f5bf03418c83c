"""The staff's complaints desk: the list, complaints entered from the box, email or WhatsApp, the steps."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.models import ComplaintStatus, Role
from library.quality.complaints.read_models import complaint_record, list_complaints
from library.quality.complaints.records import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MIN_BODY
from library.quality.complaints.staff import check_answer, check_classify, check_close, check_start
from library.uow import UnitOfWork
from runtime import links
from webapp.auth import current_actor, role_required
from webapp.complaints.blueprint import bp
from webapp.complaints.filing import file_complaint
from webapp.complaints.forms import AnswerForm, ClassifyForm, StaffComplaintForm
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.paging import page_number

STAFF = (Role.FRONT_OFFICE, Role.OFFICE_HEAD)  # admins hold every role


@bp.get("/meja/pengaduan")
@role_required(*STAFF)
def desk() -> str:
    """List the open complaints, oldest first, or those of one status."""
    wanted = request.args.get("status", "")
    status = ComplaintStatus(wanted) if wanted in {s.value for s in ComplaintStatus} else None
    rt = current_runtime()
    with rt.uow() as uow:
        found = list_complaints(uow, current_actor(), status, page_number(), rt.calendar())
    return render_template(
        "complaints/staff.html", page=found, status=status, statuses=list(ComplaintStatus), now=rt.now()
    )


@bp.route("/meja/pengaduan/baru", methods=["GET", "POST"])
@role_required(*STAFF)
def desk_new() -> Response | tuple[str, int]:
    """Enter a complaint received in the box, by email or on WhatsApp; the person gets the same code."""
    form = StaffComplaintForm()
    if not form.validate_on_submit():
        return _new_page(form, 400 if request.method == "POST" else 200)
    with refusals(form) as attempt:
        code = file_complaint(form, form.to_input(source=form.source.data or ""))
    if attempt.failed:
        return _new_page(form, attempt.status)
    flash(
        _("The complaint is recorded with the tracking code %(code)s; give it to the person.", code=code),
        "success",
    )
    return redirect(url_for("complaints.desk_page", code=code), code=303)


def _new_page(form: StaffComplaintForm, status: int) -> tuple[str, int]:
    """Render the staff's complaint form (as sent, with its problems) with the answer's status."""
    return render_template(
        "complaints/staff_new.html",
        form=form,
        max_files=MAX_ATTACHMENTS,
        max_mb=MAX_ATTACHMENT_BYTES // (1024 * 1024),
        min_body=MIN_BODY,
    ), status


@bp.get(links.DESK_COMPLAINT_PAGE)
@role_required(*STAFF)
def desk_page(code: str) -> str:
    """Show one complaint with who did what, and the steps staff can take."""
    return _desk_page(code)


@bp.post("/meja/pengaduan/<code>/klasifikasi")
@role_required(*STAFF)
def classify(code: str) -> Response | tuple[str, int]:
    """Set the complaint's SKM element and service."""
    rt = current_runtime()
    element, service = request.form.get("element", ""), request.form.get("service", "")
    return _step(
        code,
        lambda uow: check_classify(uow, current_actor(), code, element, service, rt.now()),
        _("The complaint is classified."),
    )


@bp.post("/meja/pengaduan/<code>/tangani")
@role_required(*STAFF)
def start(code: str) -> Response | tuple[str, int]:
    """Take the complaint up; the person is emailed."""
    rt = current_runtime()
    return _step(
        code,
        lambda uow: check_start(uow, current_actor(), code, rt.now(), rt.jobs),
        _("The complaint is now being handled; the person has been told."),
    )


@bp.post("/meja/pengaduan/<code>/jawab")
@role_required(*STAFF)
def answer(code: str) -> Response | tuple[str, int]:
    """Give the office's answer; the person is emailed a link to read it."""
    rt = current_runtime()
    form = AnswerForm()
    if not form.validate_on_submit():
        return _desk_page(code, answer_form=form, problem=_("The form expired; please try again.")), 400
    return _step(
        code,
        lambda uow: check_answer(uow, current_actor(), code, form.answer.data or "", rt.now(), rt.jobs),
        _("The answer is given; the person has been told."),
        answer_form=form,
    )


@bp.post("/meja/pengaduan/<code>/tutup")
@role_required(*STAFF)
def close(code: str) -> Response | tuple[str, int]:
    """Close an answered complaint; the person is emailed."""
    rt = current_runtime()
    return _step(
        code,
        lambda uow: check_close(uow, current_actor(), code, rt.now(), rt.jobs),
        _("The complaint is closed; the person has been told."),
    )


def _step(
    code: str,
    use_case: Callable[[UnitOfWork], object],
    done: str,
    *,
    answer_form: AnswerForm | None = None,
) -> Response | tuple[str, int]:
    """Run one step in its own transaction; on success go back to the page, else show the problem there."""
    if answer_form is None and not ActionForm().validate_on_submit():
        return _desk_page(code, problem=_("The form expired; please try again.")), 400
    with refusals(answer_form) as attempt, current_runtime().transaction() as uow:
        use_case(uow)
    if attempt.failed:
        problem = None if answer_form is not None else attempt.message  # else it is on the form
        return _desk_page(code, problem=problem, answer_form=answer_form), attempt.status
    flash(done, "success")
    return redirect(url_for("complaints.desk_page", code=code), code=303)


def _desk_page(code: str, *, problem: str | None = None, answer_form: AnswerForm | None = None) -> str:
    """Render a complaint's desk page with its forms (as sent, when they had problems)."""
    with current_runtime().uow() as uow:
        view = complaint_record(uow, current_actor(), code)
    classify_form = ClassifyForm(
        formdata=None, element=view.summary.element or "", service=view.summary.service.value
    )
    return render_template(
        "complaints/staff_page.html",
        c=view,
        problem=problem,
        classify_form=classify_form,
        answer_form=answer_form or AnswerForm(formdata=None, answer=view.answer),
        action_form=ActionForm(),
    )
