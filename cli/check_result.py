"""One line of `pustaka check`: what was checked, whether it is fine, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One thing checked, whether it is fine, and what to do when it is not."""

    name: str
    ok: bool
    detail: str
    hint: str = ""
    required: bool = True
