"""The engine's words in Indonesian, for `python -m watermark`: the web shell's catalogue read as data.

Every line the command prints is an English message id of the translation catalogue, marked
with `N_` where it is written, with named placeholders, as the engine's errors are. The
command speaks Indonesian wherever the catalogue has a translation, English where it has none
or the catalogue is not there. The engine imports neither the web shell nor the processes, so
the catalogue's source (`webapp/translations/id/LC_MESSAGES/messages.po`) is read by its path.

It is read with one regular expression, not babel's `read_po`: every stamp prints its line,
and `read_po` costs about 130 ms of CPU where this costs a few (the same entries:
`tests/unit/watermark/test_command_words.py`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from watermark.errors import Reason, WatermarkError

CATALOGUE = (
    Path(__file__).resolve().parent.parent / "webapp" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
)
# One entry as `scripts/i18n` writes it: its flags (no locations), its id and its translation,
# each one or more quoted lines. Plural entries (`msgid_plural`) do not match: the engine has none.
_ENTRY = re.compile(r'^(#,[^\n]*\n)?msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)', re.M)
_PROBE = 24  # characters of an id looked for to find its entry (a wrapped id's first line is longer)
_ESCAPE = re.compile(r"\\(.)")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r"}
_WRITTEN = (("\\", "\\\\"), ("\t", "\\t"), ("\r", "\\r"), ("\n", "\\n"), ('"', '\\"'))


def said(words: WatermarkError | Reason) -> str:
    """Return an error's (or a reason's) words in Indonesian where the catalogue has them, else in English."""
    return say(words.message, **words.params)


def say(message: str, **params: object) -> str:
    """Return a message marked with N_ where it is written, in Indonesian, filled with its values.

    A value that is itself an error or a reason is said too.
    """
    text = indonesian(message)
    if not params:
        return text
    return text % {k: said(v) if isinstance(v, WatermarkError | Reason) else v for k, v in params.items()}


def indonesian(message: str) -> str:
    """Return one message id's Indonesian translation, or the id itself when the catalogue has none."""
    written = _escaped(message)
    found = _found(written)
    if found is None:  # not where its opening words are (a wrapped id, or none): read every entry
        found = _translations().get(written)
    return _unescaped(found) if found else message


def _found(written: str) -> str | None:
    """Return the translation of one id (as the file writes it) from the entry its opening words are in.

    A command prints a line or two: finding them costs a fraction of reading every entry.
    None when no entry's id is this one there; "" when its entries have no translation.
    """
    text = _text()
    probe = written[:_PROBE]
    found = None  # as the whole catalogue read: the last translated entry of the id wins
    at = text.find(probe) if probe else -1
    while at != -1:
        entry = _ENTRY.match(text, text.rfind("\n\n", 0, at) + 2)
        if entry is not None and entry.start(2) <= at < entry.end(2) and _joined(entry.group(2)) == written:
            pair = _pair(entry)
            found = pair[1] if pair is not None else found or ""
            at = entry.end()
        else:
            at += 1
        at = text.find(probe, at)
    return found


@functools.cache
def _text() -> str:
    """Return the catalogue's text, read once; empty when it is not there."""
    try:
        return CATALOGUE.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


@functools.cache
def _translations() -> dict[str, str]:
    """Return the Indonesian catalogue as {message id: translation}, both as the file writes them (escaped).

    Read once; empty when the catalogue is not there. Only what is looked up is unescaped.
    """
    return _entries(_text())


def parse_catalogue(text: str) -> dict[str, str]:
    """Return the translated, not fuzzy entries of a .po catalogue's text as {message id: translation}."""
    return {_unescaped(message): _unescaped(translation) for message, translation in _entries(text).items()}


def _entries(text: str) -> dict[str, str]:
    """Return the translated, not fuzzy entries of a .po catalogue's text, their strings still escaped."""
    return dict(pair for pair in map(_pair, _ENTRY.finditer(text)) if pair is not None)


def _pair(entry: re.Match[str]) -> tuple[str, str] | None:
    """Return an entry's (id, translation) as the file writes them, or None if fuzzy or untranslated."""
    flags, message, translation = entry.groups()
    if flags and "fuzzy" in flags:
        return None
    message, translation = _joined(message), _joined(translation)
    return (message, translation) if message and translation else None


def _joined(lines: str) -> str:
    """Return a string's quoted lines joined, as the file writes the string (escaped)."""
    # A line's closing quote, its line break and the next line's opening quote go (a quote
    # inside a line is escaped, so never precedes a break).
    return lines[1:-2].replace('"\n"', "")


def _escaped(text: str) -> str:
    """Return a string as a .po file writes it between its quotes (as babel's `escape`)."""
    for plain, written in _WRITTEN:
        text = text.replace(plain, written)
    return text


def _unescaped(text: str) -> str:
    """Return the text of a string as a .po file writes it between its quotes."""
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), text) if "\\" in text else text
