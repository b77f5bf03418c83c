"""The watermark engine's own layers: its sub-packages depend one way, pdf <- ink <- marks <- their uses.

`test_architecture.py` keeps the engine apart from the library, the processes and the web
shell, and every module free of cycles; this keeps the engine's sub-packages in their order.
"""

from __future__ import annotations

import ast

from tests.unit.import_graph import ROOT, all_modules, cycles, import_graph, is_type_checking_block, parsed

WATERMARK = ROOT / "watermark"
SUB_PACKAGES = sorted(p.name for p in WATERMARK.iterdir() if (p / "__init__.py").exists())
# Each sub-package of watermark/ and the ones it may import, at any depth (in functions too).
MAY_IMPORT: dict[str, set[str]] = {
    "pdf": set(),  # the file itself: read, repaired, cleaned; its pages' boxes and objects
    "ink": {"pdf"},  # where a page is inked: measured, kept, measured ahead
    "marks": {"pdf", "ink"},  # what a copy carries, and where on a page it goes
    "pictures": {"pdf", "ink", "marks"},  # the reader's page pictures
    "stamping": {"pdf", "ink", "marks"},  # a stamped copy, written and checked
    "trace": {"pdf", "marks"},  # a copy read back: it neither stamps nor measures ink
}
# On top of every sub-package: the package's own names, `python -m watermark` and its command line.
FACADE = {"watermark", "watermark.__main__", "watermark.cli"}


def part_of(module: str) -> str | None:
    """Return the sub-package of watermark/ a module belongs to; None for a module at the top."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SUB_PACKAGES else None


def engine_graph() -> dict[str, set[str]]:
    """Return, for every module of watermark/, the modules of watermark/ it imports anywhere."""
    return {
        module: {t for t in imported if t.split(".")[0] == "watermark"}
        for module, imported in import_graph(anywhere=True).items()
        if module.split(".")[0] == "watermark"
    }


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """List 'module -> module' for every import that goes up or sideways between the engine's layers.

    A sub-package imports only the sub-packages MAY_IMPORT gives it and the modules at the top
    beneath the facade (errors); a module at the top beneath the facade imports no sub-package.
    """
    found = []
    for module, imported in sorted(graph.items()):
        if module in FACADE:
            continue
        own = part_of(module)
        allowed = set() if own is None else MAY_IMPORT.get(own, set()) | {own}
        for target in sorted(imported):
            into = part_of(target)
            if target in FACADE or (into is not None and into not in allowed):
                found.append(f"{module} -> {target}")
    return found


def test_every_sub_package_of_the_engine_has_its_place_in_the_layers() -> None:
    assert set(MAY_IMPORT) == set(SUB_PACKAGES)
    assert cycles(MAY_IMPORT) == []


def test_the_engine_sub_packages_import_only_those_beneath_them() -> None:
    assert layer_violations(engine_graph()) == []


def test_the_engine_sub_packages_depend_on_each_other_without_cycles() -> None:
    between: dict[str, set[str]] = {name: set() for name in SUB_PACKAGES}
    for module, imported in engine_graph().items():
        own = part_of(module)
        if own is not None:
            between[own] |= {part_of(t) or "" for t in imported} - {own, ""}
    assert cycles(between) == []


def test_a_sub_package_of_the_engine_loads_none_of_its_modules_by_itself() -> None:
    # A process that wants one module (the reader's mark, a QR code) loads only what that one needs.
    loading = [
        name
        for name, path in all_modules().items()
        if name.count(".") == 1
        and part_of(name) is not None  # watermark.<sub-package>
        and any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(parsed(path)))
    ]
    assert loading == []


def test_the_layer_check_finds_an_import_up_sideways_or_into_the_facade() -> None:
    graph = {
        "watermark.pdf.repair": {"watermark.ink.pageinks", "watermark.errors"},
        "watermark.trace.reading": {"watermark.stamping.stamper", "watermark.marks.qr"},
        "watermark.ink.room": {"watermark"},
        "watermark.errors": {"watermark.marks.mark"},
        "watermark.cli": {"watermark.trace.reading"},
    }
    assert layer_violations(graph) == [
        "watermark.errors -> watermark.marks.mark",
        "watermark.ink.room -> watermark",
        "watermark.pdf.repair -> watermark.ink.pageinks",
        "watermark.trace.reading -> watermark.stamping.stamper",
    ]


# The one module that imports PyMuPDF itself: it keeps out the add-ons the code never uses.
PYMUPDF_LOADER = "watermark.pdf.mupdf"


def plain_pymupdf_imports(tree: ast.Module) -> list[int]:
    """Return the lines of a module that import pymupdf when run (not for annotations only)."""
    for_annotations = {
        id(node) for block in ast.walk(tree) if is_type_checking_block(block) for node in ast.walk(block)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        and id(node) not in for_annotations
        and any(name.split(".")[0] == "pymupdf" for name in _imported_names(node))
    ]


def _imported_names(node: ast.Import | ast.ImportFrom) -> list[str]:
    return [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]


def test_pymupdf_is_loaded_only_through_the_engines_loader() -> None:
    # A plain `import pymupdf` first in a process loads PyMuPDF's ONNX layout models too: 0.7 s
    # of CPU against 0.1 s, paid by every worker, command and OCR process that reads a PDF.
    found = [
        f"{name}:{line}"
        for name, path in all_modules().items()
        if name != PYMUPDF_LOADER
        for line in plain_pymupdf_imports(parsed(path))
    ]
    assert found == [], "use watermark.pdf.mupdf.load_pymupdf()"


def test_the_pymupdf_check_finds_an_import_run_but_not_one_for_annotations() -> None:
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pymupdf\n"
        "def f():\n    import pymupdf\n    from pymupdf import Matrix\n"
    )
    assert plain_pymupdf_imports(ast.parse(source)) == [5, 6]
