"""Housekeeping: a stamped copy's file goes once no link can download it; its ledger row stays.

A copy is kept while its link can still be used, whatever its age (a used-up link for ten minutes
after its last download, which may be asked for again); once the link has expired or been used up
and the retention has passed, the workers' hourly round (or `pustaka housekeeping`)
deletes the file. The request page then says why the copy cannot be had, never a 500, and the
ledger still names the copy by its hash. Old outbox mail goes the same way.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from library.ledger.deliveries import find_by_output
from library.mail import outbox_path
from library.models import AccessLevel, Delivery, SoftcopyRequest
from library.models.delivery import SAME_DOWNLOAD
from runtime.lanes import keep_house
from runtime.root import Runtime
from tests.functional.accounts.helpers import make_person, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id


def _later(app: Flask, days: int) -> Runtime:
    """Return the app's runtime with its clock `days` ahead."""
    rt: Runtime = app.extensions["pustaka"]
    ahead = rt.now() + dt.timedelta(days=days)
    rt.now = lambda: ahead  # type: ignore[method-assign]
    return rt


def test_a_copy_is_kept_while_its_link_works_and_deleted_once_it_is_used_up(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = ask(client, publication_id(app, AccessLevel.OPEN)).headers["Location"].rsplit("/", 1)[-1]
    rt = app.extensions["pustaka"]
    with rt.transaction() as uow:
        request = uow.session.scalars(select(SoftcopyRequest).where(SoftcopyRequest.number == number)).one()
        output = uow.session.scalar(
            select(Delivery.output_sha256).where(Delivery.delivery_id == request.delivery_id)
        )
        request.expires_at = rt.now() + dt.timedelta(days=90)  # a link that lasts past the retention
    assert rt.store.exists(output)
    mail = sorted(outbox_path(rt.settings).glob("*.eml"))
    assert mail

    rt = _later(app, rt.settings.keep_copies_days + 1)
    would, (emails, _) = keep_house(rt, dry_run=True)
    assert would.copies == 0 and emails == len(mail) and all(path.exists() for path in mail)
    copies, (emails, _) = keep_house(rt)
    assert copies.copies == 0 and rt.store.exists(output)  # its link still works: kept
    assert emails == len(mail) and not any(path.exists() for path in mail)  # the mail, a month old, went
    got = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    assert got.status_code == 200 and got.data.startswith(b"%PDF")
    got.close()

    with rt.transaction() as uow:
        uow.session.execute(
            update(SoftcopyRequest)
            .where(SoftcopyRequest.number == number)
            .values(downloads=SoftcopyRequest.download_cap)
        )
    assert keep_house(rt)[0].copies == 0  # used up, yet downloaded moments ago: the same download again
    again = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    assert again.status_code == 200 and again.data.startswith(b"%PDF")  # (a send that failed, repeated)
    again.close()

    ahead = rt.now() + SAME_DOWNLOAD + dt.timedelta(minutes=1)
    rt.now = lambda: ahead  # type: ignore[method-assign]
    would = keep_house(rt, dry_run=True)[0]
    assert would.copies == 1 and would.size > 0 and rt.store.exists(output)
    assert keep_house(rt)[0].copies == 1 and not rt.store.exists(output)
    assert keep_house(rt)[0].copies == 0  # a second round finds nothing: no error either

    page = client.get(f"/permintaan/{number}")
    assert page.status_code == 200
    again = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    assert again.status_code in (200, 303, 409, 410) and not again.data.startswith(b"%PDF")
    with rt.uow() as uow:
        assert find_by_output(uow, output) is not None  # the ledger still names the copy by its hash
