"""One name for the process runtime in code: `rt`, never `runtime` (the package's own name).

A parameter typed `Runtime` is `rt`; no parameter or variable is called `runtime`, which would
shadow the `runtime` package in the function that holds it. A second runtime beside the first
(a restore's fresh one) takes a name that says how it differs. An object that keeps the runtime
keeps it as `rt` too (`jobs.rt`, a task host's `host.rt`). A request's code reaches it by
`current_runtime()`.
"""

from __future__ import annotations

import ast

from tests.unit.import_graph import ROOT, all_modules, parsed


def misnamed_runtimes(tree: ast.Module, filename: str) -> list[str]:
    """Return where a module names the runtime otherwise than `rt`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            typed = node.annotation is not None and ast.unparse(node.annotation).strip("'\"") == "Runtime"
            if node.arg == "runtime" or (typed and node.arg not in ("rt", "self")):
                found.append(f"{filename}:{node.lineno}: parameter {node.arg}")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == "runtime":
            found.append(f"{filename}:{node.lineno}: variable runtime")
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and node.attr == "runtime":
            found.append(f"{filename}:{node.lineno}: attribute runtime")
    return found


def test_the_process_runtime_is_named_rt_wherever_code_holds_it() -> None:
    """In the packages and in their tests alike."""
    paths = [*all_modules().values(), *(ROOT / "tests").rglob("*.py")]
    found = [
        where
        for path in sorted(paths)
        for where in misnamed_runtimes(parsed(path), str(path.relative_to(ROOT)))
    ]
    assert found == []


def test_the_name_check_finds_a_parameter_and_a_variable() -> None:
    source = (
        "class Host:\n    runtime: Runtime\n"
        "def f(runtime: Runtime, host: 'Runtime', rt: Runtime):\n    runtime = make()\n    rt = make()\n"
        "    self.runtime = rt\n    self.rt = rt\n"
    )
    assert sorted(misnamed_runtimes(ast.parse(source), "m.py")) == [
        "m.py:2: variable runtime",
        "m.py:3: parameter host",
        "m.py:3: parameter runtime",
        "m.py:4: variable runtime",
        "m.py:6: attribute runtime",
    ]


def test_a_request_reaches_its_runtime_through_current_runtime() -> None:
    """`current_app.extensions["pustaka"]` is spelled once, in `webapp/current_runtime.py`."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "webapp").rglob("*.py"))
        if path.name != "current_runtime.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if 'current_app.extensions["pustaka"]' in line
    ]
    assert found == [], "use webapp.current_runtime.current_runtime()"


def test_desk_names_only_the_librarians_blueprint() -> None:
    """The staff's side of an area is `staff.py` (and `staff*.html`); "desk" is `webapp/desk/` alone."""
    desk = ROOT / "webapp" / "desk"
    found = [
        path.relative_to(ROOT).as_posix()
        for top in ("library", "webapp", "runtime", "cli")
        for path in (ROOT / top).rglob("desk*")
        if path.suffix in (".py", ".html")
        and desk not in path.parents
        and "templates/desk" not in path.as_posix()
    ]
    assert found == []
