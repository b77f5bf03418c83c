"""How BPS names itself in a citation: the issuing office as creator, spelled out, and as publisher."""

from __future__ import annotations

import re

PUBLISHER = "Badan Pusat Statistik"


def creator_name(office_name: str) -> str:
    """Spell out the issuing office: 'BPS Kota Metro' is 'Badan Pusat Statistik Kota Metro'."""
    name = office_name.strip()
    if name == "BPS":
        return PUBLISHER
    if name.startswith("BPS "):
        return f"{PUBLISHER} {name[4:].strip()}"
    if name.startswith(PUBLISHER):
        return name
    return f"{PUBLISHER} {name}"


def publisher_name(creator: str) -> str:
    """Return the publisher as BPS prints it: 'Badan Pusat Statistik Kota Metro' is 'BPS Kota Metro'."""
    if creator == PUBLISHER or not creator.startswith(PUBLISHER):
        return creator
    return "BPS " + creator[len(PUBLISHER) :].strip()


def language_codes(field: str) -> tuple[str, ...]:
    """Split a language field such as 'id,en' into its codes (Indonesian when it names none)."""
    return tuple(code for code in re.split(r"[,;\s]+", field) if code) or ("id",)
