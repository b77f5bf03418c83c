"""A page's forms live in its blueprint's forms modules, not among its views."""

from __future__ import annotations

import ast

from tests.unit.import_graph import ROOT, parsed


def forms_defined(tree: ast.Module) -> list[str]:
    """Return the classes the module defines on a form (a base whose name ends in `Form`)."""
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(ast.unparse(base).endswith("Form") for base in node.bases)
    ]


def test_a_blueprints_forms_are_in_its_forms_modules() -> None:
    """In `forms.py`, or `<page>_forms.py` beside a page of a large blueprint (shared: `webapp/forms.py`)."""
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "webapp").rglob("*.py"))
        if path.name != "forms.py" and not path.name.endswith("_forms.py")
        for name in forms_defined(parsed(path))
    ]
    assert found == []


def test_the_form_check_finds_the_classes_built_on_a_form() -> None:
    source = "class A(FlaskForm): ...\nclass B(A): ...\nclass C(forms.ActionForm): ...\nclass D(Base): ...\n"
    assert forms_defined(ast.parse(source)) == ["A", "C"]
