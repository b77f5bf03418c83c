"""The size rules: no module and no function anywhere in the project (packages, tests, benchmarks,
scripts) passes MAX_MODULE_LINES or MAX_FUNCTION_LINES.

A module that grows past it is split along a seam of its own (a group of functions that
belong together goes to a module named for what it does), not cut at a line count; a function,
into named steps that read as what it does.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 400
# Modules over the limit that a change on its way splits; an entry that no longer is over it
# fails the test below, so the list only shrinks.
WAITING: set[str] = set()


def line_count(path: Path) -> int:
    """Return how many lines a file has."""
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def long_modules(root: Path, packages: tuple[str, ...], limit: int) -> list[str]:
    """List 'path (lines)' for every Python module under the packages with more than `limit` lines."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            lines = line_count(path)
            if lines > limit:
                found.append(f"{path.relative_to(root).as_posix()} ({lines})")
    return found


@functools.cache
def the_projects_long_modules() -> tuple[str, ...]:
    """Return the project's modules over the limit (read once for the tests that ask)."""
    return tuple(long_modules(ROOT, project_folders(ROOT), MAX_MODULE_LINES))


def test_no_module_passes_the_line_limit() -> None:
    found = [entry for entry in the_projects_long_modules() if entry.split()[0] not in WAITING]
    assert found == [], (
        "split the module along a seam: a cohesive group of functions into a module of its own"
    )


def test_every_module_waiting_to_be_split_is_still_over_the_limit() -> None:
    over = {entry.split()[0] for entry in the_projects_long_modules()}
    assert WAITING <= over, "take the module off WAITING: it is within the limit now"


def test_the_size_check_counts_every_line_of_every_module_below_a_package(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "long.py").write_text("x = 1\n" * 5)
    (tmp_path / "pkg" / "short.py").write_text("x = 1\n" * 4)
    (tmp_path / "pkg" / "notes.txt").write_text("x\n" * 50)
    assert long_modules(tmp_path, ("pkg",), 4) == ["pkg/sub/long.py (5)"]


# -- functions ---------------------------------------------------------------------------------
MAX_FUNCTION_LINES = 60
# Every top-level folder of the project that holds Python files is checked (packages, tests,
# benchmarks, scripts), except what is built, installed or generated.
NOT_THE_PROJECTS = {"build", "dist", "instance", "htmlcov", "node_modules"}
# Functions over the limit that a change on its way splits, as 'path:qualified name'; an entry
# that no longer is over it fails the test below, so the list only shrinks.
WAITING_FUNCTIONS: set[str] = set()


def project_folders(root: Path) -> tuple[str, ...]:
    """Name every top-level folder of the project that holds Python files of its own."""
    return tuple(
        folder.name
        for folder in sorted(root.iterdir())
        if folder.is_dir()
        and not folder.name.startswith(".")
        and folder.name not in NOT_THE_PROJECTS
        and any(folder.rglob("*.py"))
    )


def function_lengths(source: str) -> dict[str, int]:
    """Map each function's qualified name (methods and nested functions too) to its length in lines.

    A function's length runs from its `def` line to its last line; decorators are not counted.
    """
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                lengths[name] = (child.end_lineno or child.lineno) - child.lineno + 1
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return lengths


def long_functions(root: Path, folders: tuple[str, ...], limit: int) -> list[str]:
    """List 'path:qualified name (lines)' for every function under the folders longer than `limit`."""
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            where = path.relative_to(root).as_posix()
            for name, lines in function_lengths(path.read_text()).items():
                if lines > limit:
                    found.append(f"{where}:{name} ({lines})")
    return found


@functools.cache
def the_projects_long_functions() -> tuple[str, ...]:
    """Return the project's functions over the limit (read once for the tests that ask)."""
    return tuple(long_functions(ROOT, project_folders(ROOT), MAX_FUNCTION_LINES))


def test_no_function_passes_the_line_limit() -> None:
    found = [entry for entry in the_projects_long_functions() if entry.split()[0] not in WAITING_FUNCTIONS]
    assert found == [], (
        "split the function into named steps (checks, sub-tables, stages of a journey), not into chunks"
    )


def test_every_function_waiting_to_be_split_is_still_over_the_limit() -> None:
    over = {entry.split()[0] for entry in the_projects_long_functions()}
    assert WAITING_FUNCTIONS - over == set(), "take the function off WAITING_FUNCTIONS: it is short now"


def test_the_function_check_counts_methods_and_nested_functions_without_their_decorators(
    tmp_path: Path,
) -> None:
    source = (
        "@decorated\n"
        "def short():\n    return 1\n"
        "class Shape:\n"
        "    def long(self):\n        x = 1\n        x = 2\n        return x\n"
        "def outer():\n"
        "    def inner():\n        a = 1\n        b = 2\n        return a + b\n"
        "    return inner\n"
    )
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "shapes.py").write_text(source)
    assert function_lengths(source) == {"short": 2, "Shape.long": 4, "outer": 6, "outer.inner": 4}
    assert long_functions(tmp_path, ("pkg",), 4) == ["pkg/shapes.py:outer (6)"]


def test_every_top_level_folder_with_python_files_is_checked(tmp_path: Path) -> None:
    for folder in ("library", "benchmarks", "scripts", "build", ".venv", "docs"):
        (tmp_path / folder).mkdir()
    for folder in ("library", "benchmarks", "build", ".venv"):
        (tmp_path / folder / "module.py").write_text("x = 1\n")
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n")
    assert project_folders(tmp_path) == ("benchmarks", "library")
