"""A complaint filed from the public's form or the staff's: one transaction, the tracking code back."""

from __future__ import annotations

from library.quality.complaints.records import ComplaintDetails, ComplaintGuard, check_file_complaint
from webapp.auth import current_actor
from webapp.complaints.forms import ComplaintForm
from webapp.current_runtime import runtime


def file_complaint(
    form: ComplaintForm, complaint: ComplaintDetails, *, guard: ComplaintGuard | None = None
) -> str:
    """File the complaint with the files the form sent, in its own transaction; return its tracking code.

    The public form passes its guard (anyone may send it); staff entering one pass none.
    """
    app_state = runtime()
    with app_state.transaction() as uow:
        code = check_file_complaint(
            uow,
            current_actor(),
            complaint,
            form.sent_files(),
            store=app_state.store,
            office_code=app_state.settings.office,
            now=app_state.now(),
            guard=guard,
            mail=app_state.jobs,
        )
    if guard is not None:  # from the public form: the staff learn of it by email (staff entered theirs)
        app_state.jobs.alert_complaint(code)
    return code
