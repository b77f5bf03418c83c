"""A complaint filed from the public's form or the staff's: one transaction, the tracking code back."""

from __future__ import annotations

from library.quality.complaints.records import ComplaintDetails, ComplaintGuard, check_file_complaint
from webapp.auth import current_actor
from webapp.complaints.forms import ComplaintForm
from webapp.current_runtime import current_runtime


def file_complaint(
    form: ComplaintForm, complaint: ComplaintDetails, *, guard: ComplaintGuard | None = None
) -> str:
    """File the complaint with the files the form sent, in its own transaction; return its tracking code.

    The public form passes its guard (anyone may send it); staff entering one pass none.
    """
    rt = current_runtime()
    with rt.transaction() as uow:
        code = check_file_complaint(
            uow,
            current_actor(),
            complaint,
            form.sent_files(),
            store=rt.store,
            office_code=rt.settings.office,
            now=rt.now(),
            guard=guard,
            mail=rt.jobs,
        )
    if guard is not None:  # from the public form: the staff learn of it by email (staff entered theirs)
        rt.jobs.alert_complaint(code)
    return code
