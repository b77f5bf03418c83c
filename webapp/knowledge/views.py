"""The knowledge base: consultants write and publish answers (`/meja/pengetahuan`); everyone reads them.

A published entry has a public page (`/pengetahuan/<id>`), shows in the site search as
"Jawaban umum" and on the consultation form before the questions.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.consultation.topics import suggested_topics
from library.knowledge.entries import (
    check_create_entry,
    check_edit_entry,
    check_publish,
    consultation_draft,
)
from library.knowledge.read_models import list_entries, public_entry, staff_entry
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.knowledge.blueprint import bp
from webapp.knowledge.forms import EntryForm


@bp.get("/meja/pengetahuan")
@role_required(Role.CONSULTANT)
def desk() -> str:
    """List the entries, drafts first, with the way to write a new one."""
    with current_runtime().uow() as uow:
        entries = list_entries(uow, current_actor())
    return render_template("knowledge/staff.html", entries=entries)


@bp.route("/meja/pengetahuan/baru", methods=["GET", "POST"])
@role_required(Role.CONSULTANT)
def new() -> Response | tuple[str, int]:
    """Write a new draft, from scratch or prefilled from a closed consultation (?konsultasi=number)."""
    rt = current_runtime()
    form = EntryForm()
    if request.method == "GET":
        number = request.args.get("konsultasi", "")[:40]
        if number:
            with rt.uow() as uow:
                draft = consultation_draft(uow, current_actor(), number)
            form = EntryForm(formdata=None, consultation=number, **vars(draft))
        return _edit_page(form=form, entry=None), 200
    if form.validate_on_submit():
        with refusals(form) as attempt, rt.transaction() as uow:
            entry_id = check_create_entry(
                uow, current_actor(), form.to_input(), rt.now(), form.consultation.data or ""
            )
        if not attempt.failed:
            flash(_("The draft has been saved; publish it when it is ready."), "success")
            return redirect(url_for(".edit", entry_id=entry_id), code=303)
    return _edit_page(form=form, entry=None), 400


@bp.route("/meja/pengetahuan/<int:entry_id>", methods=["GET", "POST"])
@role_required(Role.CONSULTANT)
def edit(entry_id: int) -> Response | tuple[str, int]:
    """Show an entry to edit, with the way to publish or unpublish it; save the changes."""
    rt = current_runtime()
    form = EntryForm()
    if request.method == "POST" and form.validate_on_submit():
        wanted = form.to_input()
        with refusals(form) as attempt, rt.transaction() as uow:
            check_edit_entry(uow, current_actor(), entry_id, wanted, rt.now(), rt.jobs.index_answer)
        if not attempt.failed:
            flash(_("The entry has been saved."), "success")
            return redirect(url_for(".edit", entry_id=entry_id), code=303)
    with rt.uow() as uow:
        entry = staff_entry(uow, current_actor(), entry_id)
    if request.method == "GET":
        return _edit_page(form=EntryForm.of(entry), entry=entry, action_form=ActionForm()), 200
    return _edit_page(form=form, entry=entry, action_form=ActionForm()), 400


@bp.post("/meja/pengetahuan/<int:entry_id>/terbitkan")
@role_required(Role.CONSULTANT)
def publish(entry_id: int) -> Response | tuple[str, int]:
    """Publish the entry: its public page, the site search and the consultation form show it."""
    return _publish(entry_id, True, _("The entry is published."))


@bp.post("/meja/pengetahuan/<int:entry_id>/tarik")
@role_required(Role.CONSULTANT)
def unpublish(entry_id: int) -> Response | tuple[str, int]:
    """Take the entry back to a draft only staff see."""
    return _publish(entry_id, False, _("The entry is a draft again; the public no longer sees it."))


@bp.get("/pengetahuan/<int:entry_id>")
def show(entry_id: int) -> str:
    """Show a published entry to everyone."""
    with current_runtime().uow() as uow:
        entry = public_entry(uow, entry_id)
    return render_template("knowledge/show.html", entry=entry)


def _publish(entry_id: int, publish: bool, done: str) -> Response | tuple[str, int]:
    """Publish or unpublish in one transaction; show the problem on the entry's page."""
    rt = current_runtime()
    problem = _("The form expired; please try again.")
    if ActionForm().validate_on_submit():
        with refusals() as attempt, rt.transaction() as uow:
            check_publish(uow, current_actor(), entry_id, rt.now(), rt.jobs.index_answer, publish=publish)
        if not attempt.failed:
            flash(done, "success")
            return redirect(url_for(".edit", entry_id=entry_id), code=303)
        problem = attempt.message
    with rt.uow() as uow:
        entry = staff_entry(uow, current_actor(), entry_id)
    html = render_template(
        "knowledge/edit.html",
        form=EntryForm.of(entry),
        entry=entry,
        action_form=ActionForm(),
        problem=problem,
    )
    return html, 400


def _edit_page(**context: object) -> str:
    """Render the entry form, with the topics to suggest."""
    with current_runtime().uow() as uow:
        topics = suggested_topics(uow)
    return render_template("knowledge/edit.html", topics=topics, **context)
