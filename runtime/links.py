"""The public addresses emails, stamps and QR codes point at, built from one base URL.

The routes they name are declared here once and the blueprints register these same rules, so
a link in an email can never drift from the page it opens (a test compares them with the app's
URL map). Links are built from the configured base URL, never from a request's Host header: a
forged host would otherwise put an attacker's address into a genuine password-reset email.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from werkzeug.routing import Map, MapAdapter, Rule

VERIFY_PREFIX = "/verifikasi"
REQUEST_PAGE = "/permintaan/<number>"
DESK_REQUEST_PAGE = "/meja/permintaan/<number>"
MY_REQUESTS = "/permintaan/"
VERIFY_EMAIL = "/verifikasi-email/<token>"
RESET_PASSWORD = "/atur-ulang-sandi/<token>"
SIGN_IN = "/masuk"
FORGOT_PASSWORD = "/lupa-sandi"
READER = "/baca/<int:publication_id>"
PUBLICATION = "/katalog/<int:publication_id>"
VISIT_STATUS = "/kunjungan/<token>"
SURVEY = "/survei/<token>"
MY_CONSULTATIONS = "/konsultasi"
CONSULTATION_PAGE = "/konsultasi/<number>"
DESK_CONSULTATION_PAGE = "/meja/konsultasi/<number>"
COMPLAINT_STATUS = "/pengaduan/<code>"
DESK_COMPLAINT_PAGE = "/meja/pengaduan/<code>"
BOOKING = "/janji-temu/<token>"
PERSISTENT = "/id/<prefix>/<int:number>"  # a publication's persistent identifier (stored relative)

PUBLIC_ROUTES = {
    "verification.verify": VERIFY_PREFIX + "/<delivery_id>/<signature>",
    "softcopy.detail": REQUEST_PAGE,
    "desk.request_page": DESK_REQUEST_PAGE,
    "softcopy.mine": MY_REQUESTS,
    "accounts.verify_email": VERIFY_EMAIL,
    "accounts.reset_password": RESET_PASSWORD,
    "accounts.login": SIGN_IN,
    "accounts.forgot_password": FORGOT_PASSWORD,
    "reader.read": READER,
    "catalogue.detail": PUBLICATION,
    "kiosk.status": VISIT_STATUS,
    "survey.answer": SURVEY,
    "consultation.mine": MY_CONSULTATIONS,
    "consultation.detail": CONSULTATION_PAGE,
    "consultation.desk_page": DESK_CONSULTATION_PAGE,
    "complaints.status": COMPLAINT_STATUS,
    "complaints.desk_page": DESK_COMPLAINT_PAGE,
    "appointments.booking": BOOKING,
    "identifiers.resolve": PERSISTENT,
}


@lru_cache(maxsize=32)
def _adapter(base_url: str) -> MapAdapter:
    """Return the public routes bound to a base URL, compiled once per process for each base URL.

    Building only reads the map, so runtimes on one base URL (the CLI's commands one after
    another, each test of the suite) share it, as the apps share their URL builders.
    """
    parts = urlsplit(base_url)
    return Map([Rule(rule, endpoint=name) for name, rule in PUBLIC_ROUTES.items()]).bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )


class PublicLinks:
    """Absolute addresses of the site's public pages, by route name."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._adapter = _adapter(self.base_url)

    def url(self, endpoint: str, **values: object) -> str:
        """Return the absolute address of a public route."""
        return self._adapter.build(endpoint, values, force_external=True)

    @property
    def verify_base(self) -> str:
        """Return the address QR codes extend with a delivery id and signature."""
        return self.base_url + VERIFY_PREFIX

    def persistent(self, identifier: str) -> str:
        """Return the address of a persistent identifier ("<prefix>/<number>"), or '' for none."""
        return f"{self.base_url}/id/{identifier}" if identifier else ""

    def request_page(self, number: str) -> str:
        """Return the address of a softcopy request's page."""
        return self.url("softcopy.detail", number=number)

    def desk_request_page(self, number: str) -> str:
        """Return the address of a softcopy request's page on the librarian's desk."""
        return self.url("desk.request_page", number=number)

    def my_requests(self) -> str:
        """Return the address of a person's own requests (and the pages scanned for them)."""
        return self.url("softcopy.mine")

    def verify_email(self, token: str) -> str:
        """Return the address that confirms an email address."""
        return self.url("accounts.verify_email", token=token)

    def reset_password(self, token: str) -> str:
        """Return the address that sets a new password."""
        return self.url("accounts.reset_password", token=token)

    def visit_status(self, token: str) -> str:
        """Return the address of a walk-in visitor's own status page (the ticket's QR code)."""
        return self.url("kiosk.status", token=token)

    def booking(self, token: str) -> str:
        """Return the address of a booked appointment's own page (to see or cancel it)."""
        return self.url("appointments.booking", token=token)

    def survey(self, token: str) -> str:
        """Return the address of the SKM survey an invitation opens."""
        return self.url("survey.answer", token=token)

    def consultation_page(self, number: str) -> str:
        """Return the address of a consultation's page for the person who asked."""
        return self.url("consultation.detail", number=number)

    def desk_consultation_page(self, number: str) -> str:
        """Return the address of a consultation's page on the consultants' desk."""
        return self.url("consultation.desk_page", number=number)

    def complaint_status(self, code: str) -> str:
        """Return the address of a complaint's public status page, by its tracking code."""
        return self.url("complaints.status", code=code)

    def desk_complaint_page(self, code: str) -> str:
        """Return the address of a complaint's page on the staff's desk."""
        return self.url("complaints.desk_page", code=code)

    def reader(self, publication_id: int) -> str:
        """Return the address of a publication in the online reader."""
        return self.url("reader.read", publication_id=publication_id)


def safe_next(target: str | None, default: str) -> str:
    """Return a path on this site to go on to, or `default` for anything a browser could take elsewhere.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so
    "/\\t/evil.com" and "/\\\\evil.com" lead to another site: anything with a control or space
    character, a backslash, a scheme or a host is refused, as is a path starting "//".
    """
    target = target or ""
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in target)
    ):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
