"""Every WatermarkError and Reason carries a message of the catalogue, translated, with its values named.

The message of a WatermarkError can reach a librarian or a reader (a trace refused, a copy that
failed, a page that cannot be drawn), and so can a `Reason` (the words inside one, a trace's or
a repair's note): each one made anywhere in the code is an `N_`-marked literal (or a module's
constant holding one) whose Indonesian translation is in the catalogue, and the values given
fill exactly its named placeholders. A Reason may carry words from outside instead (the
operating system's or qpdf's own) only where `FOREIGN_WORDS` names it.
"""

from __future__ import annotations

import ast
import pickle
import re
from dataclasses import dataclass

from tests.unit.webapp.test_translations import ROOT, indonesian_catalogue
from watermark.errors import N_, Reason, WatermarkError

PACKAGES = ("watermark", "library", "ingest", "runtime", "search", "webapp")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
UNNAMED = re.compile(r"%(?!\(\w+\)s|%)")  # a % that is not a named %(...)s nor %%


@dataclass(frozen=True)
class Site:
    """One `WatermarkError(...)` or `Reason(...)` in the source: where, its message id, its values."""

    where: str
    message: str | None  # None: no literal marked with N_
    given: frozenset[str] | None  # None: some values come from a ** mapping
    again: bool = False  # made anew from another error's own message (`error.message`)
    kind: str = "WatermarkError"  # or "Reason"


def _marked(node: ast.expr, constants: dict[str, str]) -> str | None:
    """Return the message of `N_("...")`, or of a module constant holding one; None otherwise."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "N_"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _made(call: ast.Call) -> str | None:
    """Return "WatermarkError" or "Reason" when a call makes one (by its name or `module.<name>`)."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name if name in ("WatermarkError", "Reason") else None


def _given(node: ast.Call, kind: str) -> frozenset[str] | None:
    """Return the names of the values a site gives; None when they come from a mapping it builds elsewhere."""
    if kind == "WatermarkError":
        values = [k.arg for k in node.keywords]
        return None if None in values else frozenset(v for v in values if v and v != "code")
    params = node.args[1] if len(node.args) > 1 else None
    if params is None:
        return frozenset()
    if isinstance(params, ast.Dict) and all(isinstance(k, ast.Constant) for k in params.keys):
        return frozenset(str(k.value) for k in params.keys if isinstance(k, ast.Constant))
    return None


def error_sites(source: str, where: str) -> list[Site]:
    """Return every WatermarkError a module's source makes, with its message and the values it gives."""
    tree = ast.parse(source)
    constants = {
        target.id: message
        for node in tree.body
        if isinstance(node, ast.Assign) and (message := _marked(node.value, {})) is not None
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    sites = []
    for node in ast.walk(tree):
        kind = _made(node) if isinstance(node, ast.Call) else None
        if kind is None or not isinstance(node, ast.Call):
            continue
        first = node.args[0] if node.args else None
        again = isinstance(first, ast.Attribute) and first.attr == "message"
        message = _marked(first, constants) if first is not None else None
        sites.append(Site(f"{where}:{node.lineno}", message, _given(node, kind), again, kind))
    return sites


def problems(sites: list[Site], catalogue: dict[str, object]) -> list[str]:
    """List what is wrong with each site: no marked message, no translation, values that do not fit."""
    found = []
    for site in sites:
        if site.again:
            continue
        if site.message is None:
            found.append(f"{site.where}: the message is not a literal marked with N_")
        elif UNNAMED.search(site.message):
            found.append(f"{site.where}: {site.message!r} has a placeholder without a name")
        elif not catalogue.get(site.message):
            found.append(f"{site.where}: {site.message!r} has no Indonesian translation in the catalogue")
        elif site.given is not None and site.given != set(PLACEHOLDER.findall(site.message)):
            found.append(f"{site.where}: the values {sorted(site.given)} do not fill {site.message!r}")
    return found


# Reasons that carry words from outside, by module and what they carry.
FOREIGN_WORDS = {
    "watermark/errors.py": "the operating system's own words for an error it has no catalogue entry for",
    "watermark/stamping/copies.py": "qpdf's first line about a copy that fails its check",
}


def every_site() -> list[Site]:
    """Return every WatermarkError and Reason the project's code makes (but the foreign words)."""
    return [
        site
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for site in error_sites(path.read_text(), str(path.relative_to(ROOT)))
        if site.kind != "Reason" or site.message is not None or site.where.split(":")[0] not in FOREIGN_WORDS
    ]


def test_every_watermark_error_and_reason_has_a_translated_message_whose_values_it_gives() -> None:
    sites = every_site()
    assert len([s for s in sites if s.where.startswith("watermark/")]) > 60  # the walk finds the engine's
    assert any(s.where.startswith("watermark/trace/reading.py") for s in sites)  # a trace's notes
    assert problems(sites, indonesian_catalogue()) == [], "mark it with N_, run scripts/i18n, translate it"


def test_the_check_finds_a_message_unmarked_untranslated_unnamed_or_not_filled() -> None:
    source = """
LOCKED = N_("Locked.")
def f(path, exc):
    raise WatermarkError(f"Berkas {path} rusak", code="damaged")
    raise WatermarkError("Locked.")
    raise WatermarkError(N_("Never translated."))
    raise WatermarkError(N_("Page %d is missing."))
    raise WatermarkError(N_("Damaged: %(detail)s"), code="damaged", reason=exc)
    raise WatermarkError(N_("Damaged: %(detail)s"), code="damaged", detail=str(exc))
    raise WatermarkError(LOCKED, code="encrypted")
    raise WatermarkError(exc.message, code=exc.code, **exc.params)
    notes.append(Reason(N_("Damaged: %(detail)s"), {"detail": 1, "page": 2}))
    notes.append(Reason(f"{exc}"))
"""
    catalogue = {
        "Locked.": "Terkunci.",
        "Damaged: %(detail)s": "Rusak: %(detail)s",
        "Page %d is missing.": "-",
    }
    assert problems(error_sites(source, "m.py"), catalogue) == [
        "m.py:4: the message is not a literal marked with N_",
        "m.py:5: the message is not a literal marked with N_",
        "m.py:6: 'Never translated.' has no Indonesian translation in the catalogue",
        "m.py:7: 'Page %d is missing.' has a placeholder without a name",
        "m.py:8: the values ['reason'] do not fill 'Damaged: %(detail)s'",
        "m.py:12: the values ['detail', 'page'] do not fill 'Damaged: %(detail)s'",
        "m.py:13: the message is not a literal marked with N_",
    ]


def test_a_watermark_error_reads_in_english_and_keeps_its_words_and_values_for_translation() -> None:
    error = WatermarkError(
        N_("The copy cannot be written to %(where)s: %(reason)s"),
        code="not_writable",
        where="/srv/salinan",
        reason=Reason(N_("the disk is full")),
    )
    assert str(error) == "The copy cannot be written to /srv/salinan: the disk is full"
    assert error.message == "The copy cannot be written to %(where)s: %(reason)s"
    assert error.params == {"where": "/srv/salinan", "reason": Reason("the disk is full")}


def test_a_watermark_error_crosses_a_process_whole() -> None:
    # The page drawing processes and the tracer's process send their errors back pickled.
    error = WatermarkError(N_("The page cannot be drawn: %(detail)s"), code="damaged", detail="code=5: 100%")
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.message, again.params, again.code) == (
        str(error),
        error.message,
        error.params,
        "damaged",
    )
