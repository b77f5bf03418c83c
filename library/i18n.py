"""Marking domain messages for translation without importing any web framework."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for the translation catalogue; the web app translates it when shown."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message and its plural (both with %(num)s); the web app picks one by the count."""
    return singular, plural
