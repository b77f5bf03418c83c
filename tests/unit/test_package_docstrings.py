"""A package's docstring names only what exists: every module, function, class or path it puts in
backticks is found under that package (or is one of the project's packages, a library it imports or
its command), so the orientation a reader starts from cannot drift from the code."""

from __future__ import annotations

import ast
import functools
import re
import tomllib
from pathlib import Path

import pytest

from tests.unit.import_graph import FIRST_PARTY, ROOT, parsed

NAME = re.compile(r"`([a-z_][a-z0-9_]*)`")
DOTTED = re.compile(r"`([a-z_][a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)`")
PATH = re.compile(r"`([a-z_][a-z0-9_]*/[^`\s<>]*)`")


def package_inits(root: Path, packages: set[str]) -> list[Path]:
    """Return every package `__init__.py` under the given top-level packages."""
    return sorted(path for package in packages for path in (root / package).rglob("__init__.py"))


def defined_names(tree: ast.AST) -> set[str]:
    """Return every name a module defines anywhere: functions, classes, assigned names and
    attributes, arguments, keyword names, import aliases."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, (ast.arg, ast.keyword)) and node.arg:
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
    return names


@functools.cache
def project_words(root: Path, packages: frozenset[str]) -> frozenset[str]:
    """Return the names a docstring may use without defining them: the project's packages, every
    top-level module they import (`flask`, `pymupdf`) and its commands (`pustaka`)."""
    words = set(packages)
    for package in packages:
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(parsed(path)):
                if isinstance(node, ast.Import):
                    words.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    words.add(node.module.split(".")[0])
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        words.update(tomllib.loads(pyproject.read_text()).get("project", {}).get("scripts", {}))
    return frozenset(words)


@functools.cache
def names_in(path: Path) -> frozenset[str]:
    """Return the names a source file defines, read once for every docstring that asks."""
    return frozenset(defined_names(parsed(path)))


def module_file(root: Path, dotted: list[str]) -> Path | None:
    """Return the file of a dotted module under root (a package's `__init__.py`), if there is one."""
    base = root.joinpath(*dotted)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def dotted_exists(root: Path, package: Path, dotted: str, packages: set[str]) -> bool:
    """Tell whether `a.b.c` names a module, or a name defined in one: from the project's root when it
    starts with one of its packages, from the package otherwise (`copies.stamp_pdf`)."""
    parts = dotted.split(".")
    base = root if parts[0] in packages else package
    for cut in range(len(parts), 0, -1):
        found = module_file(base, parts[:cut])
        if found is not None:
            rest = parts[cut:]
            return not rest or set(rest) <= names_in(found)
    return False


def path_exists(root: Path, package: Path, path: str, packages: set[str]) -> bool:
    """Tell whether a path names a file or folder of the project (from its root, or from the package);
    a path that starts with no project folder (a hot folder's `pindai/`) is not the project's."""
    first = path.split("/")[0]
    if first not in packages and not (root / first).is_dir() and not (package / first).exists():
        return True
    return (root / path).exists() or (package / path).exists()


def missing_names(init: Path, root: Path = ROOT, packages: set[str] = FIRST_PARTY) -> list[str]:
    """Return what a package's docstring names in backticks and the package does not hold."""
    docstring = ast.get_docstring(ast.parse(init.read_text())) or ""
    package = init.parent
    sources = sorted(package.rglob("*.py"))
    known = {p.stem for p in sources if p.stem != "__init__"} | {p.parent.name for p in sources}
    known = known.union(*(names_in(p) for p in sources))
    missing = [name for name in NAME.findall(docstring) if name not in known]
    if missing:  # read the whole project's imports only for a name the package does not hold
        missing = [name for name in missing if name not in project_words(root, frozenset(packages))]
    missing += [d for d in DOTTED.findall(docstring) if not dotted_exists(root, package, d, packages)]
    missing += [p for p in PATH.findall(docstring) if not path_exists(root, package, p, packages)]
    return missing


@pytest.mark.parametrize(
    "init", package_inits(ROOT, FIRST_PARTY), ids=lambda p: str(p.parent.relative_to(ROOT))
)
def test_every_name_a_package_docstring_puts_in_backticks_exists(init: Path) -> None:
    assert missing_names(init) == []


def test_there_are_package_docstrings_to_check() -> None:
    assert len(package_inits(ROOT, FIRST_PARTY)) > 30


def make_package(root: Path, docstring: str) -> Path:
    """Write a small package `shop` (a module `till` with `ring_up`) whose `__init__` has the docstring."""
    package = root / "shop"
    package.mkdir()
    (package / "__init__.py").write_text(f'"""{docstring}"""\n')
    (package / "till.py").write_text("def ring_up(amount):\n    return amount\n")
    return package / "__init__.py"


def test_the_checker_refuses_a_docstring_naming_a_module_that_is_not_there(tmp_path: Path) -> None:
    assert missing_names(make_package(tmp_path, "The `shelf` holds it."), tmp_path, {"shop"}) == ["shelf"]


def test_the_checker_accepts_a_module_its_functions_arguments_and_the_project_packages(
    tmp_path: Path,
) -> None:
    text = "Start at `till` (`ring_up`, its `amount`), `shop.till.ring_up`, `shop/till.py`; see `shop`."
    assert missing_names(make_package(tmp_path, text), tmp_path, {"shop"}) == []


def test_the_checker_refuses_a_dotted_name_or_a_path_that_is_not_there(tmp_path: Path) -> None:
    text = "See `shop.till.refund`, `shop.drawer` and `shop/drawer.py`, not a folder `inbox/`."
    init = make_package(tmp_path, text)
    assert missing_names(init, tmp_path, {"shop"}) == ["shop.till.refund", "shop.drawer", "shop/drawer.py"]
