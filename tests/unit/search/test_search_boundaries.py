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


@pytest.mark.parametrize("path", sorted(SEARCH.rglob("*.py")), ids=lambda p: p.relative_to(SEARCH).as_posix())
def test_search_modules_never_import_the_domain_or_the_web(path):
    assert not imported_roots(path) & FORBIDDEN


# One sub-package per engine over the modules they share.
ENGINES = ("whoosh", "postgres", "memory")  # memory: the same contract in memory, for tests


def imported_modules(path: Path) -> set[str]:
    """Return every module a file imports by its full name (`from a.b import c` gives a.b and a.b.c)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def engine_reaches(root: Path) -> list[str]:
    """List imports from one engine's sub-package into the other's, or from a shared module into either."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        own = rel[0] if len(rel) > 1 else None  # the engine whose sub-package it is; None: shared
        for name in sorted(imported_modules(path)):
            parts = name.split(".")
            if parts[0] == "search" and len(parts) > 1 and parts[1] in ENGINES and parts[1] != own:
                found.append(f"search/{'/'.join(rel)}: {name}")
    return found


def test_each_engine_is_a_sub_package_that_neither_the_other_nor_the_shared_modules_import() -> None:
    packages = {p.name for p in SEARCH.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(ENGINES)
    assert [p.name for p in SEARCH.glob("*.py") if p.name.startswith(tuple(f"{e}_" for e in ENGINES))] == []
    assert engine_reaches(SEARCH) == []


def test_the_engine_check_finds_a_shared_module_reaching_into_an_engine(tmp_path: Path) -> None:
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "whoosh" / "engine.py").write_text("from search.postgres import query\n")
    (tmp_path / "snippets.py").write_text(
        "from search.whoosh.cache import IndexView\nfrom search import engine\n"
    )
    assert engine_reaches(tmp_path) == [
        "search/snippets.py: search.whoosh.cache",
        "search/snippets.py: search.whoosh.cache.IndexView",
        "search/whoosh/engine.py: search.postgres",
        "search/whoosh/engine.py: search.postgres.query",
    ]
