"""Every text the public sees has its Indonesian translation in the catalogue."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
METHOD_MAP = [
    ("webapp/**.py", "python"),
    ("library/**.py", "python"),
    ("watermark/**.py", "python"),
    ("webapp/templates/**.html", "jinja2"),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "N_plural": (1, 2), "_l": None}


def source_messages() -> set[str]:
    """Extract every translatable message id from the code and templates."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def indonesian_catalogue() -> dict[str, object]:
    """Read the Indonesian catalogue as {msgid: msgstr}."""
    with open(ROOT / "webapp/translations/id/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="id")
    return {
        (m.id[0] if isinstance(m.id, tuple) else m.id): m.string
        for m in catalog
        if m.id and "fuzzy" not in m.flags
    }


def test_every_source_message_has_an_indonesian_translation() -> None:
    catalogue = indonesian_catalogue()
    missing = sorted(
        msg
        for msg in source_messages()
        if not catalogue.get(msg) or (isinstance(catalogue[msg], tuple) and not all(catalogue[msg]))
    )
    assert missing == [], "run scripts/i18n and translate these"


def test_the_extractor_finds_template_and_domain_messages() -> None:
    messages = source_messages()
    assert "Our services and their standards" in messages  # a template
    assert "There is no publication number %(id)s." in messages  # library, marked with N_


def test_placeholders_survive_translation() -> None:
    import re

    for msgid, msgstr in indonesian_catalogue().items():
        strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        for text in strings:
            assert set(re.findall(r"%\(\w+\)s", text)) == set(re.findall(r"%\(\w+\)s", msgid)), msgid
