"""The repository as harvesters know it: its name, the identifiers it gives, its addresses.

A record's OAI identifier is the publication's persistent identifier under the repository's
name (PUSTAKA_OAI_REPOSITORY_ID, else one made from the identifier prefix), so identifiers
outlive a move to another host; the old form, oai:<host>:pub/<id>, is still read back. Its
addresses are the endpoint, each record's page and the email harvesters write to. The verbs
(`library.oai.verbs`) take a `Repository` and ask it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement

from library.identifiers.records import persistent_url
from library.models import Publication

PAGE_SIZE = 100  # records in one page of a list, unless the repository says otherwise


@dataclass(frozen=True)
class Repository:
    """How this deployment presents itself to harvesters."""

    base_url: str
    office_code: str
    admin_email: str
    secret: bytes
    page_size: int = PAGE_SIZE
    # The repository's name in identifiers (PUSTAKA_OAI_REPOSITORY_ID): not the host, so
    # identifiers outlive a move. Empty: "pustaka." and the identifier prefix.
    repository_id: str = ""
    pid_prefix: str = ""  # the prefix new publications are numbered under (PUSTAKA_PID_PREFIX)

    @property
    def endpoint(self) -> str:
        """Return the base URL of the OAI-PMH endpoint."""
        return self.base_url.rstrip("/") + "/oai"

    @property
    def host(self) -> str:
        """Return the host name that namespaced this repository's identifiers before it had a name."""
        return urlsplit(self.base_url).hostname or "localhost"

    @property
    def name(self) -> str:
        """Return the repository identifier of its OAI identifiers."""
        return self.repository_id or f"pustaka.{self.prefix}"

    @property
    def prefix(self) -> str:
        """Return the prefix of new publications' identifiers."""
        return self.pid_prefix or f"bps{self.office_code}"

    def identifier(self, publication: Publication) -> str:
        """Return the OAI identifier of a publication: its persistent identifier under our name."""
        return f"oai:{self.name}:{publication.identifier or f'pub/{publication.id}'}"

    def lookup(self, identifier: str) -> ColumnElement[bool] | None:
        """Return the condition selecting the publication an identifier names, if it is one of ours.

        The old form, oai:<host>:pub/<id>, is still read: harvesters hold identifiers given before.
        """
        local = identifier[len(f"oai:{self.name}:") :] if identifier.startswith(f"oai:{self.name}:") else ""
        if re.fullmatch(r"[a-z][a-z0-9.-]{0,39}/[0-9]{1,18}", local):
            return Publication.identifier == local
        publication_id = self.publication_id(identifier)
        return Publication.id == publication_id if publication_id is not None else None

    def publication_id(self, identifier: str) -> int | None:
        """Return the publication an old-form identifier (oai:<host>:pub/<id>) names, if it is one of ours."""
        prefix = f"oai:{self.host}:pub/"
        number = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
        return int(number) if re.fullmatch(r"[0-9]{1,18}", number) else None

    def catalogue_url(self, publication: Publication) -> str:
        """Return the address a record gives: the persistent one (else the page's)."""
        if publication.identifier:
            return persistent_url(self.base_url, publication.identifier)
        return f"{self.base_url.rstrip('/')}/katalog/{publication.id}"


def admin_email(mail_from: str, office_email: str) -> str:
    """Return the first address a harvester can write to: the sender address, else the office's."""
    candidates = [parseaddr(mail_from)[1], office_email.strip()]
    for address in candidates:
        if re.fullmatch(r"\S+@(\S+\.)+\S+", address):
            return address
    return next((a for a in candidates if a), "pst@localhost")
