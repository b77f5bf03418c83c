"""The dependency rules: the web shell on the processes, on the library, on the engines; never upwards."""

from __future__ import annotations

import ast
import re

import pytest

from tests.unit.import_graph import (
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
    # The processes (composition root, lanes, consumer, supervisor, worker): no Flask, no web shell.
    "runtime": FLASK | {"webapp"},
    "library": FLASK | {"werkzeug", "webapp", "runtime"},
    "ingest": FLASK | {"werkzeug", "webapp", "runtime", "library"},
    "watermark": FLASK | {"werkzeug", "webapp", "runtime", "library"},
    "search": FLASK | {"werkzeug", "webapp", "runtime", "library"},
    "catalog_data": FLASK | {"werkzeug", "webapp", "runtime", "library"},
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


def exported(area: str) -> set[str]:
    """Return the names an area package lists in its __all__."""
    tree = ast.parse((ROOT / "library" / area / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def area_violations() -> list[str]:
    """List imports that reach into another area's modules or take what it does not export."""
    found = []
    for area in AREAS:
        for path in sorted((ROOT / "library" / area).rglob("*.py")):
            for node in ast.walk(parsed(path)):
                if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                    continue
                parts = node.module.split(".")
                if parts[0] != "library" or len(parts) < 2 or parts[1] not in AREAS or parts[1] == area:
                    continue
                where = f"{path.relative_to(ROOT)}: {node.module}"
                if len(parts) > 2:
                    found.append(f"{where} (import from the package library.{parts[1]})")
                else:
                    found.extend(
                        f"{where}.{a.name} (not exported)"
                        for a in node.names
                        if a.name not in exported(parts[1])
                    )
    return found


def test_library_has_its_areas_and_few_modules_at_the_top() -> None:
    assert {"accounts", "catalogue", "intake", "ledger", "oai", "softcopy"} <= set(AREAS)
    assert len(list((ROOT / "library").glob("*.py"))) <= 17


def test_areas_use_each_other_only_through_what_a_package_exports() -> None:
    assert area_violations() == []


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
    if (p / "__init__.py").exists() and p.name not in {"cli", "templates", "static", "translations"}
)


def webapp_violations() -> list[str]:
    """List webapp imports that reach up: a blueprint into another, a shared module into a blueprint."""
    found = []
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        rel = path.relative_to(ROOT / "webapp").parts
        own = rel[0] if len(rel) > 1 else None
        if rel == ("__init__.py",) or own == "cli":
            continue  # create_app registers the blueprints; the CLI sits on top of everything
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
                    and parts[1] in {*BLUEPRINTS, "cli"}
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
