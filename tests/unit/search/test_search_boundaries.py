"""The search package is a pure engine: it never reaches into the domain or the web."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

SEARCH = Path(__file__).resolve().parents[3] / "search"
FORBIDDEN = {"library", "webapp", "flask"}


def imported_roots(path: Path) -> set[str]:
    """Return the top-level names of every module the file imports."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(SEARCH.glob("*.py")), ids=lambda p: p.name)
def test_search_modules_never_import_the_domain_or_the_web(path):
    assert not imported_roots(path) & FORBIDDEN
