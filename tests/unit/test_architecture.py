"""The dependency rules: the web shell on the processes, on the library, on the engines; never upwards."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.unit.import_graph import (
    FIRST_PARTY,
    ROOT,
    all_modules,
    cycles,
    every_import,
    import_graph,
    is_type_checking_block,
    module_name,
    parsed,
    targets,
)

FLASK = {"flask", "flask_login", "flask_babel", "flask_wtf", "wtforms"}
FORBIDDEN = {
    # The commands (cli/) sit on top of everything; nothing imports them.
    "webapp": {"cli"},
    # The processes (composition root, lanes, consumer, supervisor, worker): no Flask, no web shell.
    "runtime": FLASK | {"webapp", "cli"},
    "library": FLASK | {"werkzeug", "webapp", "runtime", "cli"},
    "ingest": FLASK | {"werkzeug", "webapp", "runtime", "library", "cli"},
    "watermark": FLASK | {"werkzeug", "webapp", "runtime", "library", "cli"},
    "search": FLASK | {"werkzeug", "webapp", "runtime", "library", "cli"},
    "catalog_data": FLASK | {"werkzeug", "webapp", "runtime", "library", "cli"},
}
# The one command that starts the web shell; every other command runs without Flask.
FLASK_COMMANDS = {"cli/serve.py"}


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


def test_only_the_serve_command_imports_flask() -> None:
    """Nor the web shell: importing any of `webapp` runs its `__init__`, which imports Flask."""
    found = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "cli").rglob("*.py")
        if imported_top_levels(path.read_text()) & (FLASK | {"webapp"})
    }
    assert found == FLASK_COMMANDS


def test_the_process_package_is_checked_for_flask_and_the_web_shell() -> None:
    source = "def start():\n    from flask import current_app\n    from webapp.metrics import init_app\n"
    assert imported_top_levels(source) & FORBIDDEN["runtime"] == {"flask", "webapp"}


def test_the_import_scanner_sees_imports_inside_functions() -> None:
    source = "def f():\n    from flask import request\n    import webapp.views\n"
    assert imported_top_levels(source) == {"flask", "webapp"}


# -- areas of library/ -------------------------------------------------------------------------
AREAS = sorted(
    p.name
    for p in (ROOT / "library").iterdir()
    if (p / "__init__.py").exists() and p.name not in {"models", "migrations"}
)


# The one door into an area is the module that defines a name: an area's __init__ says what the
# area is and passes nothing on (models and settings are one package's parts, gathered).
GATHERING = {"library/models/__init__.py", "library/settings/__init__.py"}


def passed_on(path: Path) -> list[str]:
    """List the names a package's __init__ imports from its own modules only to hand them on."""
    tree = parsed(path)
    package = ".".join(path.relative_to(ROOT).parent.parts)
    used = {
        n.id
        for node in tree.body
        if not isinstance(node, ast.Import | ast.ImportFrom | ast.Assign)
        for n in ast.walk(node)
        if isinstance(n, ast.Name)
    }
    return [
        f"{path.relative_to(ROOT)}: {a.asname or a.name}"
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(package + ".")
        for a in node.names
        if (a.asname or a.name) not in used
    ]


def private_reaches() -> list[str]:
    """List imports of another area's private names (a leading underscore)."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] not in FIRST_PARTY:
            continue
        mine = ".".join(rel.parts[:2])
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("library."):
                theirs = ".".join(node.module.split(".")[:2])  # type: ignore[union-attr]
                if theirs != mine:
                    found += [f"{rel}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_library_has_its_areas_and_few_modules_at_the_top() -> None:
    assert {"accounts", "catalogue", "intake", "ledger", "oai", "softcopy"} <= set(AREAS)
    assert len(list((ROOT / "library").glob("*.py"))) <= 17


def test_an_area_is_entered_by_the_module_that_defines_a_name() -> None:
    inits = sorted((ROOT / "library").rglob("__init__.py"))
    assert [n for p in inits if p.relative_to(ROOT).as_posix() not in GATHERING for n in passed_on(p)] == []
    assert private_reaches() == []


def test_the_door_check_finds_a_name_handed_on() -> None:
    package = ROOT / "library" / "accounts" / "__init__.py"
    assert passed_on(package) == []
    assert passed_on(ROOT / "library" / "models" / "__init__.py")  # the one gathering that hands on


def test_areas_depend_on_each_other_without_cycles() -> None:
    graph: dict[str, set[str]] = {area: set() for area in AREAS}
    for module, imported in import_graph(anywhere=True).items():
        parts = module.split(".")
        if parts[0] == "library" and len(parts) > 1 and parts[1] in AREAS:
            graph[parts[1]] |= {
                t.split(".")[1] for t in imported if t.startswith("library.") and t.split(".")[1] in AREAS
            } - {parts[1]}
    assert cycles(graph) == []


def test_no_module_imports_a_module_that_imports_it_back_at_any_depth() -> None:
    # Imports inside functions and for annotations only count too: a module that imports
    # another only when called still cannot be loaded or tested without it.
    assert cycles(import_graph(anywhere=True)) == []


def test_no_benchmark_imports_a_module_that_imports_it_back_at_any_depth() -> None:
    benchmarks = {module_name(path): path for path in sorted((ROOT / "benchmarks").glob("*.py"))}
    assert cycles(import_graph(anywhere=True, modules=benchmarks)) == []


def test_the_cycle_graph_counts_imports_inside_functions_and_for_annotations(tmp_path) -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a.x\ndef f():\n    import a.y\n"
    modules = {"a.x": tmp_path, "a.y": tmp_path}
    found = {t for node in every_import(ast.parse(source)) for t in targets(node, modules)}
    assert found == {"a.x", "a.y"}


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_come_before_the_code_of_a_module() -> None:
    late = []
    for name, path in all_modules().items():
        seen_code = False
        for node in parsed(path).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                if seen_code:
                    late.append(f"{name}: line {node.lineno}")
            elif not (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            ) and not is_type_checking_block(node):
                seen_code = True
    assert late == []


# -- webapp: blueprints and the shared modules beneath them -------------------------------------
BLUEPRINTS = sorted(
    p.name
    for p in (ROOT / "webapp").iterdir()
    if (p / "__init__.py").exists() and p.name not in {"server", "templates", "static", "translations"}
)


def webapp_violations() -> list[str]:
    """List webapp imports that reach up: a blueprint into another, a shared module into a blueprint."""
    found = []
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        rel = path.relative_to(ROOT / "webapp").parts
        own = rel[0] if len(rel) > 1 else None
        if rel == ("__init__.py",):
            continue  # create_app registers the blueprints
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if (
                    parts[0] == "webapp"
                    and len(parts) > 1
                    and parts[1] in {*BLUEPRINTS, "server"}  # the server runs the app, not the reverse
                    and parts[1] != own
                ):
                    found.append(f"webapp/{'/'.join(rel)}: {name}")
                    break
    return found


def test_blueprints_and_shared_web_modules_never_import_upwards() -> None:
    assert webapp_violations() == []


# -- the transaction rule (library/uow.py) --------------------------------------------------------
# Functions that break the rule until a change on its way replaces them; an entry that no longer
# breaks it fails the test below, so the list only shrinks.


def takes_an_open_unit_of_work(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Tell whether one of a function's parameters is an open unit of work."""
    arguments = function.args
    for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
        annotation = ast.unparse(arg.annotation) if arg.annotation else ""
        if re.search(r"\bUnitOfWork\b", annotation) and "Callable" not in annotation:
            return True
    return False


def commits_inside_a_unit_of_work(source: str, filename: str) -> list[str]:
    """List 'file: function' for every function that takes an open unit of work and commits."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and takes_an_open_unit_of_work(node):
            if any(
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "commit"
                for call in ast.walk(node)
            ):
                found.append(f"{filename}: {node.name}")
    return found


def test_a_library_function_given_an_open_unit_of_work_leaves_the_commit_to_its_caller() -> None:
    found = set()
    for path in sorted((ROOT / "library").rglob("*.py")):
        found.update(commits_inside_a_unit_of_work(path.read_text(), str(path.relative_to(ROOT))))
    assert sorted(found) == [], "commit at the call site, or take a factory"


def test_the_commit_scanner_tells_a_given_unit_of_work_from_a_factory() -> None:
    source = (
        "def use_case(uow: UnitOfWork, x: int) -> None:\n    uow.session.add(x)\n    uow.commit()\n"
        "def job(uow_factory: Callable[[], UnitOfWork]) -> None:\n"
        "    with uow_factory() as uow:\n        uow.commit()\n"
        "def helper(session, *, uow: 'UnitOfWork | None' = None) -> None:\n    session.commit()\n"
    )
    assert commits_inside_a_unit_of_work(source, "m.py") == ["m.py: use_case", "m.py: helper"]


def commit_calls(source: str, filename: str) -> list[str]:
    """List 'file:line' for every call of a method named commit."""
    return [
        f"{filename}:{call.lineno}"
        for call in ast.walk(ast.parse(source))
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "commit"
    ]


def test_the_web_shell_commits_only_through_a_transaction_block() -> None:
    found = []
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        found += commit_calls(path.read_text(), str(path.relative_to(ROOT)))
    assert found == [], "run the use case in `with runtime.transaction() as uow:` (library.uow.transaction)"


MAX_VIEW_LINES = 25
ROUTE_DECORATOR = re.compile(r"\.(route|get|post|put|patch|delete)\(")


def long_views(source: str, filename: str) -> list[str]:
    """List 'file: view (lines)' for every view over MAX_VIEW_LINES, from its def to its end.

    A view is a function with a route decorator or one a module registers with add_url_rule.
    """
    tree = ast.parse(source)
    registered = {
        ast.unparse(call.args[2]).rsplit(".", 1)[-1]
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "add_url_rule"
        and len(call.args) > 2
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        routed = any(ROUTE_DECORATOR.search(ast.unparse(d)) for d in node.decorator_list)
        lines = (node.end_lineno or node.lineno) - node.lineno + 1
        if (routed or node.name in registered) and lines > MAX_VIEW_LINES:
            found.append(f"{filename}: {node.name} ({lines})")
    return found


def test_views_parse_call_one_use_case_and_render_in_a_few_lines() -> None:
    found = []
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        found += long_views(path.read_text(), str(path.relative_to(ROOT)))
    assert found == [], "move the work into a use case (library/) or a form's parser"


def test_the_view_counter_sees_decorated_and_registered_views() -> None:
    body = "".join(f"    x = {n}\n" for n in range(MAX_VIEW_LINES))
    source = (
        f"@bp.post('/a')\n@role_required()\ndef routed():\n{body}"
        f"def registered():\n{body}"
        f"def helper():\n{body}"
        "bp.add_url_rule('/b', 'b', registered)\n"
    )
    lines = MAX_VIEW_LINES + 1
    assert long_views(source, "m.py") == [f"m.py: routed ({lines})", f"m.py: registered ({lines})"]


def test_the_parts_of_each_area_depend_on_each_other_without_cycles() -> None:
    # A part is an area's sub-package or one of its own modules (`library.frontoffice.queue`,
    # `library.frontoffice.day_close`); the area's __init__ is nobody's part.
    def part(module: str) -> str | None:
        parts = module.split(".")
        return ".".join(parts[:3]) if parts[0] == "library" and len(parts) > 2 and parts[1] in AREAS else None

    graph: dict[str, set[str]] = {}
    for module, imported in import_graph(anywhere=True).items():
        mine = part(module)
        if mine is not None:
            graph.setdefault(mine, set()).update(
                p
                for p in map(part, imported)
                if p is not None and p != mine and p.split(".")[1] == mine.split(".")[1]
            )
    assert "library.frontoffice.queue" in graph and "library.frontoffice.terminal" in graph
    assert cycles(graph) == []


SHARED = sorted((ROOT / "webapp").glob("*.py"))  # the shell's shared modules, beside the blueprints


def test_every_blueprint_has_one_layout() -> None:
    """A blueprint package: its Blueprint objects in `blueprint.py`, routes in other modules, and an
    `__init__.py` that only imports them (no view, no helper); no shared module makes one."""
    found = []
    for name in BLUEPRINTS:
        folder = ROOT / "webapp" / name
        if not (folder / "blueprint.py").exists():
            found.append(f"webapp/{name}: no blueprint.py")
        for path in sorted(folder.glob("*.py")):
            made_here = "Blueprint(" in path.read_text()
            if made_here != (path.name == "blueprint.py"):
                found.append(f"{path.relative_to(ROOT)}: Blueprint objects belong in blueprint.py")
        init = parsed(folder / "__init__.py")
        code = [
            n for n in init.body if not isinstance(n, ast.Import | ast.ImportFrom | ast.Expr | ast.Assign)
        ]
        if code:
            found.append(f"webapp/{name}/__init__.py: only imports, its docstring and __all__")
    shared = [path.name for path in SHARED if "Blueprint(" in path.read_text()]
    found += [f"webapp/{name}: a shared module makes no blueprint" for name in shared]
    assert found == []
