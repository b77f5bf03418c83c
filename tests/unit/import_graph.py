"""The project's first-party modules and the imports between them, read from their source: the
graph the architecture rules check (layers, areas, cycles)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"library", "ingest", "watermark", "search", "runtime", "webapp", "catalog_data", "cli"}


def module_name(path: Path) -> str:
    """Return the dotted module name of a source file."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_type_checking_block(node: ast.stmt) -> bool:
    """Tell whether a statement is `if TYPE_CHECKING:` (imports for annotations only)."""
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Return the imports a module runs when it is loaded (not inside functions or TYPE_CHECKING)."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.Try):
            found.extend(n for n in node.body if isinstance(n, (ast.Import, ast.ImportFrom)))
    return found


@functools.cache
def parsed(path: Path) -> ast.Module:
    """Return a module's syntax tree, read once for every rule that asks (no rule changes a tree)."""
    return ast.parse(path.read_text())


def all_modules() -> dict[str, Path]:
    """Map every first-party module to its file."""
    modules = {}
    for package in sorted(FIRST_PARTY):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def targets(node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    """Return the modules among `modules` (first-party ones) an import statement loads."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in modules}
    if node.level or not node.module:
        return set()
    submodules = {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules}
    # `from package import submodule` loads the submodule; the package counts only for other names.
    takes_names = len(submodules) < len(node.names)
    return submodules | ({node.module} if takes_names and node.module in modules else set())


def every_import(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Return every import of a module, wherever it sits: in functions and TYPE_CHECKING blocks too."""
    return [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def import_graph(anywhere: bool = False, modules: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """Return, for every module (first-party ones by default), those of them it imports when loaded
    (`anywhere`: at all)."""
    modules = all_modules() if modules is None else modules
    found = every_import if anywhere else top_level_imports
    return {
        name: {t for node in found(parsed(path)) for t in targets(node, modules)} - {name}
        for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
