"""Templates show and never decide: no roles tested, statuses compared by their enum, never a string."""

from __future__ import annotations

import re
from pathlib import Path

from webapp.template_globals import template_enum_names

TEMPLATES = Path(__file__).resolve().parents[3] / "webapp" / "templates"
# `x.status == 'ready'`, `x.status.value in ('a', 'b')`, `state == 'ok'`: a value spelled as a string.
STRING_STATUS = re.compile(
    r"\b\w*(status|state|level|clock|origin|access_level|channel|_check)(\.value)?\s*(==|!=|in)\s*\(?\s*['\"]"
)
ROLE_TEST = re.compile(r"has_role|\bRole\.")
ENUM_MEMBER = re.compile(r"\b([A-Z][A-Za-z]+)\.([A-Z][A-Z_]*)\b")


def templates() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(TEMPLATES)), path.read_text()) for path in sorted(TEMPLATES.rglob("*.html"))
    ]


def test_no_template_compares_a_status_with_a_string() -> None:
    found = [f"{name}: {m.group(0)}" for name, text in templates() for m in STRING_STATUS.finditer(text)]
    assert found == [], "compare with the enum the templates know (webapp/template_globals.py)"


def test_no_template_decides_by_role() -> None:
    found = [f"{name}: {m.group(0)}" for name, text in templates() for m in ROLE_TEST.finditer(text)]
    assert found == [], "ask the rule: may.<rule>(actor) (webapp/menu.py)"


def test_every_enum_member_a_template_names_exists() -> None:
    enums = template_enum_names()
    named = [(name, m.group(1), m.group(2)) for name, text in templates() for m in ENUM_MEMBER.finditer(text)]
    ours = [(name, enum, member) for name, enum, member in named if enum in enums]
    assert ours, "the templates compare with enums"
    missing = [
        f"{name}: {enum}.{member}" for name, enum, member in ours if member not in enums[enum].__members__
    ]
    assert missing == []


def test_the_status_scanner_sees_the_spellings_it_forbids() -> None:
    spelled = (
        "{% if r.status.value == 'ready' %}",
        "{% if state == 'ok' %}",
        "{% if c.status in ('new', 'x') %}",
        '{% if v.identity_check == "declared" %}',
    )
    for text in spelled:
        assert STRING_STATUS.search(text), text
    assert not STRING_STATUS.search("{% if r.status == RequestStatus.READY %}")
