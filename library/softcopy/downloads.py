"""Downloading a ready softcopy: one download authorised, counted and named.

`check_download` lets only the request's owner download, before the link expires and while
downloads remain; every download sends the same stored file, so a repeat carries the same marks.
The copy itself is made by the job in `library.softcopy.copies`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update

from library.db import changed_rows
from library.errors import NotAllowed, NotFound, PustakaError
from library.i18n import N_
from library.ledger.deliveries import publication_title
from library.models import Delivery, Download, RequestStatus, SoftcopyRequest, retrying
from library.permissions import Actor, may_download_copy, require_signed_in
from library.softcopy.file_names import download_names
from library.softcopy.requests import find_request
from library.uow import UnitOfWork


class LinkExpired(PustakaError):
    """The download link's time is over."""


class DownloadsSpent(PustakaError):
    """Every download the link allowed has been used."""


@dataclass(frozen=True)
class DownloadGrant:
    """One authorised download: which stored file to send, under which name."""

    sha256: str
    filename: str  # the publication's title and the request number, in UTF-8
    ascii_filename: str  # the same as a safe ASCII slug, for clients that cannot read the UTF-8 name
    remaining: int
    publication_id: int = 0  # whose usage a download counts in


def check_download(
    uow: UnitOfWork, actor: Actor | None, number: str, now: dt.datetime, client_address: str = ""
) -> DownloadGrant:
    """Authorise one download of a ready copy by its owner, count it, and say what to send."""
    person = require_signed_in(uow, actor, N_("Sign in to download your softcopy."))
    if person.password_hash is not None and not person.email_verified:
        # A password chosen by someone who never opened the address's mail opens nothing sent
        # there. (A light account has no password: it acts only through a proof at a terminal.)
        raise NotAllowed(
            N_(
                "Verify your email address before downloading: open the link we emailed you, "
                "or ask for a new one on your profile page."
            )
        )
    try:
        row = find_request(uow, number)
    except NotFound:
        row = None
    if row is None or not may_download_copy(person, row.user_id):
        # Not yours and not there look the same, so numbers cannot be probed.
        raise NotFound(N_("There is no request %(number)s."), number=number)
    if row.status != RequestStatus.READY.value or row.delivery_id is None:
        raise NotFound(N_("The softcopy of request %(number)s is not ready yet."), number=number)
    if row.expires_at is None or now >= row.expires_at:
        raise LinkExpired(
            N_(
                "The download link of request %(number)s has expired. "
                "Send a new request from the publication's page."
            ),
            number=number,
        )
    last = uow.session.scalar(
        select(func.max(Download.at)).where(Download.request_id == row.id, Download.user_id == person.id)
    )
    if not retrying(last, now):  # else the same download again: its send failed or was cut off
        _count_download(uow, row, person.id, now, client_address)
    output = uow.session.scalar(select(Delivery.output_sha256).where(Delivery.delivery_id == row.delivery_id))
    if output is None:
        raise NotFound(N_("The softcopy of request %(number)s is not ready yet."), number=number)
    uow.session.refresh(row, ["downloads"])
    names = download_names(publication_title(uow, row.publication_id), row.number)
    return DownloadGrant(
        sha256=output,
        filename=names.utf8,
        ascii_filename=names.ascii,
        remaining=row.download_cap - row.downloads,
        publication_id=row.publication_id,
    )


def _count_download(
    uow: UnitOfWork, row: SoftcopyRequest, user_id: int, now: dt.datetime, client_address: str
) -> None:
    """Count one download of the request's copy, unless its link allows no more."""
    counted = uow.session.execute(
        update(SoftcopyRequest)
        .where(SoftcopyRequest.id == row.id, SoftcopyRequest.downloads < SoftcopyRequest.download_cap)
        .values(downloads=SoftcopyRequest.downloads + 1)
        .execution_options(synchronize_session=False)
    )
    if changed_rows(counted) != 1:
        raise DownloadsSpent(
            N_(
                "The softcopy of request %(number)s has been downloaded %(cap)s times, "
                "the most its link allows. Send a new request from the publication's page."
            ),
            number=row.number,
            cap=row.download_cap,
        )
    uow.session.add(Download(request_id=row.id, user_id=user_id, at=now, client_address=client_address[:64]))
