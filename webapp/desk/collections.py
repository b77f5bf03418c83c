"""The librarian's desk: collections made, edited and deleted, publications put in and taken out.

The overview suggests the series the catalogue's titles share, made with their editions in one
step; a collection's screen lists its publications, the editions its titles suggest (boxes to
tick) and a field for publication numbers. Every page works as plain forms, without script.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from library.browse.managing import (
    check_add_publications,
    check_create_collection,
    check_delete_collection,
    check_edit_collection,
    check_remove_publications,
)
from library.browse.series import check_make_series
from library.browse.staff import desk_collection, desk_overview
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.desk.collection_forms import ChosenPublicationsForm, CollectionForm
from webapp.forms import ActionForm, refusals

PAGE = "/koleksi"


@bp.get(PAGE)
@role_required(Role.LIBRARIAN)
def collections() -> tuple[str, int]:
    """Show every collection, the series the titles suggest, and the form to make a collection."""
    return _overview()


@bp.post(PAGE)
@role_required(Role.LIBRARIAN)
def create_collection() -> Response | tuple[str, int]:
    """Make a collection from the form."""
    form = CollectionForm()
    if form.validate_on_submit():
        rt = current_runtime()
        with refusals(form) as attempt, rt.transaction() as uow:
            made = check_create_collection(uow, current_actor(), form.to_input(), rt.now())
            made_id = made.id
        if not attempt.failed:
            flash(_("The collection %(name)s is made.", name=form.name_id.data), "success")
            return redirect(url_for("desk.collection", collection_id=made_id), code=303)
    return _overview(form=form, status=400)


@bp.post(PAGE + "/seri")
@role_required(Role.LIBRARIAN)
def make_series() -> Response | tuple[str, int]:
    """Make a suggested series (or complete it) with all its editions, in one step."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    rt = current_runtime()
    with refusals(form) as attempt, rt.transaction() as uow:
        series, added = check_make_series(uow, current_actor(), request.form.get("name", ""), rt.now())
        series_id, name = series.id, series.name_id
    if attempt.failed:
        return _overview(action=form, status=400)
    flash(
        ngettext(
            "%(num)s edition is now in %(name)s.", "%(num)s editions are now in %(name)s.", added, name=name
        ),
        "success",
    )
    return redirect(url_for("desk.collection", collection_id=series_id), code=303)


@bp.get(PAGE + "/<int:collection_id>")
@role_required(Role.LIBRARIAN)
def collection(collection_id: int) -> tuple[str, int]:
    """Show a collection to edit, its publications, and the editions its titles suggest."""
    return _collection_page(collection_id)


@bp.post(PAGE + "/<int:collection_id>")
@role_required(Role.LIBRARIAN)
def edit_collection(collection_id: int) -> Response | tuple[str, int]:
    """Save a collection's address, names and description."""
    form = CollectionForm()
    if form.validate_on_submit():
        rt = current_runtime()
        with refusals(form) as attempt, rt.transaction() as uow:
            check_edit_collection(uow, current_actor(), collection_id, form.to_input(), rt.now())
        if not attempt.failed:
            flash(_("The collection is saved."), "success")
            return redirect(url_for("desk.collection", collection_id=collection_id), code=303)
    return _collection_page(collection_id, form=form, status=400)


@bp.post(PAGE + "/<int:collection_id>/hapus")
@role_required(Role.LIBRARIAN)
def delete_collection(collection_id: int) -> Response:
    """Delete a collection; its publications stay in the catalogue."""
    if not ActionForm().validate_on_submit():
        abort(400)
    rt = current_runtime()
    with rt.transaction() as uow:
        name = check_delete_collection(uow, current_actor(), collection_id, rt.now())
    flash(
        _("The collection %(name)s is deleted; its publications stay in the catalogue.", name=name), "success"
    )
    return redirect(url_for("desk.collections"), code=303)


@bp.post(PAGE + "/<int:collection_id>/publikasi")
@role_required(Role.LIBRARIAN)
def add_to_collection(collection_id: int) -> Response | tuple[str, int]:
    """Put the ticked or typed publications in the collection."""
    form = ChosenPublicationsForm()
    if not form.validate_on_submit():
        abort(400)
    rt = current_runtime()
    with refusals(form) as attempt, rt.transaction() as uow:
        added = check_add_publications(uow, current_actor(), collection_id, form.publication_ids(), rt.now())
    if attempt.failed:
        return _collection_page(collection_id, chosen=form, status=400)
    flash(ngettext("%(num)s publication added.", "%(num)s publications added.", added), "success")
    return redirect(url_for("desk.collection", collection_id=collection_id), code=303)


@bp.post(PAGE + "/<int:collection_id>/keluarkan")
@role_required(Role.LIBRARIAN)
def remove_from_collection(collection_id: int) -> Response | tuple[str, int]:
    """Take the ticked publications out of the collection (they stay in the catalogue)."""
    form = ChosenPublicationsForm()
    if not form.validate_on_submit():
        abort(400)
    rt = current_runtime()
    with refusals(form) as attempt, rt.transaction() as uow:
        removed = check_remove_publications(
            uow, current_actor(), collection_id, form.publication_ids(), rt.now()
        )
    if attempt.failed:
        return _collection_page(collection_id, chosen=form, status=400)
    flash(ngettext("%(num)s publication taken out.", "%(num)s publications taken out.", removed), "success")
    return redirect(url_for("desk.collection", collection_id=collection_id), code=303)


@bp.post("/publikasi/<int:publication_id>/koleksi")
@role_required(Role.LIBRARIAN)
def add_publication_to_collection(publication_id: int) -> Response:
    """Put a publication in the series or collection chosen on its edit page."""
    if not ActionForm().validate_on_submit():
        abort(400)
    raw = request.form.get("collection", "")
    rt = current_runtime()
    with rt.transaction() as uow:
        chosen = int(raw) if raw.isdigit() and len(raw) < 10 else 0
        check_add_publications(uow, current_actor(), chosen, [publication_id], rt.now())
    flash(_("The publication is added to the collection."), "success")
    return redirect(url_for("desk.edit_publication", publication_id=publication_id), code=303)


def _overview(
    *, form: CollectionForm | None = None, action: FlaskForm | None = None, status: int = 200
) -> tuple[str, int]:
    """Render the collections overview, with a refused form when there is one."""
    with current_runtime().uow() as uow:
        overview = desk_overview(uow, current_actor())
    form = (form or CollectionForm(formdata=None)).offer(overview.offices)
    return render_template(
        "desk/collections.html", overview=overview, form=form, action=action or ActionForm(formdata=None)
    ), status


def _collection_page(
    collection_id: int,
    *,
    form: CollectionForm | None = None,
    chosen: FlaskForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """Render one collection's screen, with a refused form when there is one."""
    with current_runtime().uow() as uow:
        page = desk_collection(uow, current_actor(), collection_id)
    if form is None:
        row = page.row
        form = CollectionForm(
            formdata=None,
            kind=row.kind.value,
            slug=row.slug,
            name_id=row.name_id,
            name_en=row.name_en,
            description=row.description,
            office=row.office_code,
        )
    return render_template(
        "desk/collection.html",
        page=page,
        form=form.offer([]),
        chosen=chosen or ChosenPublicationsForm(formdata=None),
        action=ActionForm(formdata=None),
    ), status
