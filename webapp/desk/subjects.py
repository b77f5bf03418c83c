"""The librarian's desk: the controlled subjects by group, and free-text variants merged into them.

A merge is shown first (which publications change, from what to what) and done only when the
librarian confirms it; every page works as plain forms, without script.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from library.models import Role
from library.subjects.merging import (
    PlannedChange,
    check_add_term,
    check_merge,
    check_set_term_active,
    preview_merge,
    subject_overview,
)
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.desk.subject_forms import SubjectForm
from webapp.forms import ActionForm, refusals

PAGE = "/subjek"


@bp.get(PAGE)
@role_required(Role.LIBRARIAN)
def subjects() -> tuple[str, int]:
    """Show the controlled subjects by group, the free-text subjects in use, and the add form."""
    return _page()


@bp.post(PAGE + "/pratinjau")
@role_required(Role.LIBRARIAN)
def preview_subjects() -> tuple[str, int]:
    """Show which publications a merge of the chosen variants into a subject would change."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    variants, term_id = request.form.getlist("variant"), _term_id()
    with refusals(form) as attempt, current_runtime().uow() as uow:
        planned = preview_merge(uow, current_actor(), variants, term_id)
    if attempt.failed:
        return _page(merge=form, status=400)
    return _page(planned=planned, variants=variants, term_id=term_id)


@bp.post(PAGE + "/gabung")
@role_required(Role.LIBRARIAN)
def merge_subjects() -> Response | tuple[str, int]:
    """Merge the variants the librarian previewed into the subject, once confirmed."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    rt = current_runtime()
    with refusals(form) as attempt, rt.transaction() as uow:
        count = check_merge(
            uow,
            current_actor(),
            rt.jobs,
            request.form.getlist("variant"),
            _term_id(),
            now=rt.now(),
        )
    if attempt.failed:
        return _page(merge=form, status=400)
    flash(
        ngettext(
            "%(num)s publication now has the subject.", "%(num)s publications now have the subject.", count
        ),
        "success",
    )
    return redirect(url_for("desk.subjects"), code=303)


@bp.post(PAGE + "/tambah")
@role_required(Role.LIBRARIAN)
def add_subject() -> Response | tuple[str, int]:
    """Add an office's own subject to the controlled list."""
    form = SubjectForm()
    if form.validate_on_submit():
        with refusals(form) as attempt, current_runtime().transaction() as uow:
            term = check_add_term(
                uow, current_actor(), form.group_id(), form.name_id.data or "", form.name_en.data or ""
            )
        if not attempt.failed:
            flash(_("The subject %(name)s is added.", name=term.name_id), "success")
            return redirect(url_for("desk.subjects"), code=303)
    return _page(add=form, status=400)


@bp.post(PAGE + "/<int:term_id>/aktif")
@role_required(Role.LIBRARIAN)
def set_subject_active(term_id: int) -> Response:
    """Deactivate a subject (no longer suggested nor matched), or make it active again."""
    if not ActionForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    with current_runtime().transaction() as uow:
        term = check_set_term_active(uow, current_actor(), term_id, active)
    done = (
        _("%(name)s is active again.") if active else _("%(name)s is deactivated: it is no longer suggested.")
    )
    flash(done % {"name": term.name_id}, "success")
    return redirect(url_for("desk.subjects"), code=303)


def _term_id() -> int:
    """Return the chosen target subject's id (0, which names none, when missing or bad)."""
    raw = request.form.get("term", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def _page(
    *,
    merge: FlaskForm | None = None,
    add: SubjectForm | None = None,
    planned: list[PlannedChange] | None = None,
    variants: list[str] | None = None,
    term_id: int = 0,
    status: int = 200,
) -> tuple[str, int]:
    """Render the subject screen, with a merge's preview when there is one."""
    with current_runtime().uow() as uow:
        groups, in_use = subject_overview(uow, current_actor())
    add = add or SubjectForm(formdata=None)
    add.offer_groups(groups)
    target = next((t for g in groups for t in g.terms if t.id == term_id), None)
    return render_template(
        "desk/subjects.html",
        groups=groups,
        variants=in_use,
        merge=merge or ActionForm(formdata=None),
        add=add,
        planned=planned,
        chosen=variants or [],
        target=target,
    ), status
