"""The settings of persistent identifiers: the prefix new publications are numbered under, OAI's name.

Declared apart from the rest (`library.settings.Settings` inherits them); each is a PUSTAKA_*
variable like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from library.errors import SettingsError
from library.settings.declare import setting as _setting

PREFIX = re.compile(r"[a-z][a-z0-9.-]{0,39}")
# The repositoryIdentifier of the OAI identifier scheme (a name with at least one dot).
OAI_REPOSITORY = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+")


@dataclass(frozen=True)
class IdentifierSettings:
    """How publications' persistent identifiers and OAI identifiers are named."""

    if TYPE_CHECKING:
        office: str  # declared in Settings (not a field here: the settings keep their order)
    pid_prefix: str = _setting(
        "",
        "Prefix of the persistent identifiers given to new publications (/id/<prefix>/<number>): lowercase "
        "letters, digits, dots and hyphens, starting with a letter. Empty: 'bps' and PUSTAKA_OFFICE "
        "(bps1872). Identifiers already given keep their prefix when it changes.",
    )
    oai_repository_id: str = _setting(
        "",
        "The repository's name in OAI-PMH identifiers (oai:<name>:<prefix>/<number>), a dotted name "
        "that stays when the site moves. Empty: 'pustaka.' and the identifier prefix.",
    )

    @property
    def identifier_prefix(self) -> str:
        """Return the prefix new publications are numbered under."""
        return self.pid_prefix.strip() or f"bps{self.office.strip()}"

    @property
    def oai_repository(self) -> str:
        """Return the repository identifier of OAI-PMH identifiers."""
        return self.oai_repository_id.strip() or f"pustaka.{self.identifier_prefix}"

    def check_identifiers(self) -> None:
        """Refuse a prefix or an OAI repository name that would make identifiers nobody can resolve."""
        if not PREFIX.fullmatch(self.identifier_prefix):
            raise SettingsError(
                "PUSTAKA_PID_PREFIX must be 1 to 40 lowercase letters, digits, dots or hyphens starting "
                "with a letter, not '%(v)s'.",
                v=self.identifier_prefix,
            )
        if not OAI_REPOSITORY.fullmatch(self.oai_repository):
            raise SettingsError(
                "PUSTAKA_OAI_REPOSITORY_ID must be a dotted name such as pustaka.bps1872 "
                "(each part starting with a letter), not '%(v)s'.",
                v=self.oai_repository,
            )
