"""How a PUSTAKA_* variable's text becomes a setting's value, or is refused saying why.

A value is read as the type of its setting's default (true or false, a whole number that is not
negative, a path, else text as written); a list of addresses becomes the networks it names.
`library.settings.Settings.from_env` reads every variable through `parse_value`.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

from library.errors import SettingsError


def networks(name: str, value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Return the networks a comma-separated setting names, or refuse one that is none."""
    found = []
    for part in value.split(","):
        if part.strip():
            try:
                found.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise SettingsError(
                    "%(name)s holds '%(v)s', which is not an IP address or network.",
                    name=name,
                    v=part.strip(),
                ) from None
    return tuple(found)


def parse_value(name: str, raw: str, default: Any) -> Any:
    """Convert one environment value to the type of its default."""
    raw = raw.strip()
    if isinstance(default, bool):
        lowered = raw.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise SettingsError("%(name)s must be true or false, not '%(raw)s'.", name=name, raw=raw)
    if isinstance(default, int):
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(
                "%(name)s must be a whole number, not '%(raw)s'.", name=name, raw=raw
            ) from None
        if value < 0:
            raise SettingsError("%(name)s cannot be negative (%(raw)s).", name=name, raw=raw)
        return value
    if isinstance(default, Path):
        if not raw:
            raise SettingsError("%(name)s cannot be empty.", name=name)
        return Path(raw)
    return raw
