"""The documentation stays true: the configuration table is the declared settings, the two commands exist."""

from __future__ import annotations

import os
import re
from pathlib import Path

from library.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text()


def test_the_configuration_table_lists_exactly_the_declared_settings() -> None:
    table = CONFIGURATION.split("<!-- settings-table:start -->")[1].split("<!-- settings-table:end -->")[0]
    rows = re.findall(r"^\| `(PUSTAKA_\w+)` \| (.*?) \| (.*?) \|$", table, flags=re.M)
    declared = Settings.documented()
    assert [name for name, _, _ in rows] == [name for name, _, _ in declared]
    for (name, default, doc), (_, shown_default, shown_doc) in zip(declared, rows, strict=True):
        assert shown_default == (f"`{default}`" if default else "(empty)"), name
        assert shown_doc == doc, name


def test_the_two_commands_and_ci_exist_and_are_executable() -> None:
    for script in ("scripts/run", "scripts/test", ".ci/run"):
        assert os.access(ROOT / script, os.X_OK), script
    assert "scripts/test" in (ROOT / ".ci/run").read_text()
