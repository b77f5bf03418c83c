"""Every benchmark names what exists: a module moved in the source breaks no benchmark unseen.

The benchmarks are run by hand, not by the suite; this reads each one's imports and resolves
them (the module, and each name taken from it) without running the benchmark.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def unresolved(source: str) -> list[str]:
    """Return each absolute import of the source that names no module or no name of its module."""
    missing = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            wanted = [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            wanted = [(node.module, alias.name) for alias in node.names]
        else:
            continue
        for module, name in wanted:
            try:
                found = importlib.import_module(module)
            except ImportError:
                missing.append(module)
                continue
            if name and not hasattr(found, name) and not _is_module(f"{module}.{name}"):
                missing.append(f"{module}.{name}")
    return missing


def _is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def test_every_benchmark_imports_what_exists() -> None:
    missing = {
        path.name: names
        for path in sorted((ROOT / "benchmarks").glob("*.py"))
        if (names := unresolved(path.read_text(encoding="utf-8")))
    }
    assert missing == {}


def test_a_moved_module_or_name_is_found() -> None:
    source = "import json\nfrom search import postgres_tables\nfrom library.db import make_engine, gone\n"
    assert unresolved(source) == ["search.postgres_tables", "library.db.gone"]
