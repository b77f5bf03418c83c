"""The librarian's desk: publications listed, edited after ingest, withdrawn and restored."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.wrappers import Response

from library.browse.staff import publication_collections
from library.catalogue.editing import (
    Saved,
    check_edit_publication,
    check_publish_publication,
    check_restore_publication,
    check_withdraw_publication,
    get_editable,
)
from library.catalogue.staff_list import list_for_desk
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.desk.publication_forms import PublicationForm, RestoreForm, WithdrawForm
from webapp.forms import refusals
from webapp.paging import page_number

ONE = "/publikasi/<int:publication_id>"
FREE_SUBJECT = _l(
    "The subject is not one of the controlled subjects, so it was kept as typed: "
    "choose one of the suggested subjects, or merge it on the subject screen."
)
WITHDRAW_PREFIX, RESTORE_PREFIX, PUBLISH_PREFIX = "tarik", "pulihkan", "terbitkan"


@bp.get("/publikasi")
@role_required(Role.LIBRARIAN)
def publications() -> str:
    """List every publication (withdrawn ones too), found by title or number, latest changed first."""
    query = request.args.get("q", "", type=str).strip()
    withdrawn_only = request.args.get("ditarik") == "1"
    drafts_only = request.args.get("draf") == "1"
    page = page_number()
    rt = current_runtime()
    with rt.uow() as uow:
        listing = list_for_desk(
            uow,
            current_actor(),
            query=query,
            withdrawn_only=withdrawn_only,
            drafts_only=drafts_only,
            page=page,
            per_page=rt.settings.per_page,
        )
    return render_template(
        "desk/publications.html",
        listing=listing,
        query=query,
        withdrawn_only=withdrawn_only,
        drafts_only=drafts_only,
    )


@bp.get(ONE + "/ubah")
@role_required(Role.LIBRARIAN)
def edit_publication(publication_id: int) -> tuple[str, int]:
    """Show a publication's edit page: its fields, withdrawal or restoring, and its history."""
    return _page(publication_id)


@bp.post(ONE + "/ubah")
@role_required(Role.LIBRARIAN)
def save_publication(publication_id: int) -> Response | tuple[str, int]:
    """Save the fields a librarian changed; refuse them per field, or when someone saved meanwhile."""
    rt = current_runtime()
    form = PublicationForm()
    if not form.validate_on_submit():
        return _page(publication_id, form=form, status=400)
    with refusals(status=form.show_refusal) as attempt, rt.transaction() as uow:
        saved = check_edit_publication(
            uow,
            current_actor(),
            rt.jobs,
            publication_id,
            form.version_number(),
            form.to_input(),
            today=rt.today(),
            now=rt.now(),
        )
    if attempt.failed:
        return _page(publication_id, form=form, status=attempt.status)
    return _edited(publication_id, *_saved_message(saved))


@bp.post(ONE + "/tarik")
@role_required(Role.LIBRARIAN)
def withdraw_publication(publication_id: int) -> Response | tuple[str, int]:
    """Withdraw a publication from the public, saying why."""
    rt = current_runtime()
    form = WithdrawForm(prefix=WITHDRAW_PREFIX)
    if not form.validate_on_submit():
        return _page(publication_id, withdraw=form, status=400)
    with refusals(status=form.show_refusal) as attempt, rt.transaction() as uow:
        check_withdraw_publication(
            uow,
            current_actor(),
            rt.jobs,
            publication_id,
            form.version_number(),
            form.reason.data or "",
            now=rt.now(),
        )
    if attempt.failed:
        return _page(publication_id, withdraw=form, status=attempt.status)
    return _edited(publication_id, _("The publication is withdrawn: the public no longer finds or reads it."))


@bp.post(ONE + "/pulihkan")
@role_required(Role.LIBRARIAN)
def restore_publication(publication_id: int) -> Response | tuple[str, int]:
    """Bring a withdrawn publication back to the public."""
    done = _("The publication is restored: the public finds and reads it again.")
    return _change_status(publication_id, RESTORE_PREFIX, check_restore_publication, done)


@bp.post(ONE + "/terbitkan")
@role_required(Role.LIBRARIAN)
def publish_publication(publication_id: int) -> Response | tuple[str, int]:
    """Make a draft public once its details are checked."""
    done = _("The publication is published: the public finds and reads it now.")
    return _change_status(publication_id, PUBLISH_PREFIX, check_publish_publication, done)


def _change_status(
    publication_id: int, prefix: str, change: Callable[..., Saved], done: str
) -> Response | tuple[str, int]:
    """Run a change of status that needs only the version the librarian saw (restore, publish)."""
    rt = current_runtime()
    form = RestoreForm(prefix=prefix)
    forms = {RESTORE_PREFIX: "restore", PUBLISH_PREFIX: "publish"}
    if not form.validate_on_submit():
        return _page(publication_id, status=400, **{forms[prefix]: form})
    with refusals(status=form.show_refusal) as attempt, rt.transaction() as uow:
        version, now = form.version_number(), rt.now()
        change(uow, current_actor(), rt.jobs, publication_id, version, now=now)
    if attempt.failed:
        return _page(publication_id, status=attempt.status, **{forms[prefix]: form})
    return _edited(publication_id, done)


def _saved_message(saved: Saved) -> tuple[str, str]:
    """Return what to tell the librarian about a save, and its category (a kept free text: flashed too)."""
    if saved.free_subject:
        flash(FREE_SUBJECT, "message")
    if saved.changed:
        count = len(saved.changed)
        return ngettext("%(num)s field is saved.", "%(num)s fields are saved.", count), "success"
    return _("Nothing was changed, so nothing was saved."), "message"


def _edited(publication_id: int, message: str, category: str = "success") -> Response:
    """Tell the librarian what was done and show the publication's edit page again."""
    flash(message, category)
    return redirect(url_for("desk.edit_publication", publication_id=publication_id), code=303)


def _page(
    publication_id: int,
    *,
    form: PublicationForm | None = None,
    withdraw: WithdrawForm | None = None,
    restore: RestoreForm | None = None,
    publish: RestoreForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """Render the edit page; forms not given are filled from what is stored now."""
    with current_runtime().uow() as uow:
        publication = get_editable(uow, current_actor(), publication_id)
        collections = publication_collections(uow, current_actor(), publication_id)
    if form is None:
        form = PublicationForm(formdata=None)
        form.fill(publication.fields, publication.version)
    form.offer_offices(publication)
    withdraw = withdraw or WithdrawForm(formdata=None, prefix=WITHDRAW_PREFIX)
    restore = restore or RestoreForm(formdata=None, prefix=RESTORE_PREFIX)
    publish = publish or RestoreForm(formdata=None, prefix=PUBLISH_PREFIX)
    for other in (withdraw, restore, publish):
        other.version.data = str(publication.version)  # a refused withdrawal is tried on what is stored now
    return render_template(
        "desk/publication_edit.html",
        publication=publication,
        form=form,
        withdraw=withdraw,
        restore=restore,
        publish=publish,
        collections=collections,
    ), status
