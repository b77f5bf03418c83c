"""The one dependency rule: library never imports the web; engines never import library or the web."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "library": {"flask", "flask_login", "flask_babel", "werkzeug", "webapp"},
    "ingest": {"flask", "flask_login", "flask_babel", "werkzeug", "webapp", "library"},
    "watermark": {"flask", "flask_login", "flask_babel", "werkzeug", "webapp", "library"},
    "search": {"flask", "flask_login", "flask_babel", "werkzeug", "webapp", "library"},
    "catalog_data": {"flask", "flask_login", "flask_babel", "werkzeug", "webapp", "library"},
}


def imported_top_levels(source: str) -> set[str]:
    """Return the top-level package of every import in the source, wherever it sits."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def violations(package: str) -> list[str]:
    """List 'file: module' for every forbidden import in a package."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = imported_top_levels(path.read_text()) & FORBIDDEN[package]
        found.extend(f"{path.relative_to(ROOT)}: {name}" for name in sorted(bad))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_its_layer_allows(package: str) -> None:
    assert violations(package) == []


def test_the_import_scanner_sees_imports_inside_functions() -> None:
    source = "def f():\n    from flask import request\n    import webapp.views\n"
    assert imported_top_levels(source) == {"flask", "webapp"}
