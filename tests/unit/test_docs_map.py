"""The architecture page names only what exists: its paths, the tests it cites, the pages it links."""

from __future__ import annotations

import re

from tests.unit.import_graph import ROOT

MAP = ROOT / "docs" / "ARCHITECTURE.md"


def named_paths(text: str) -> set[str]:
    """Return the repository paths a page names in backticks (a folder ends in /, a file has a suffix)."""
    found = set()
    for token in re.findall(r"`([^`\s]+)`", text):
        if "<" in token or "/" not in token or token.startswith("/"):
            continue  # a pattern such as library/<area>/, or an address
        if token.endswith("/") or re.search(r"\.(py|md|toml|html)$", token):
            found.add(token)
    return found


def test_every_path_the_map_names_exists() -> None:
    text = MAP.read_text()
    missing = [p for p in sorted(named_paths(text)) if not (ROOT / p).exists()]
    # A short path (lockers/stock.py) is one under library/ or an area of it.
    missing = [p for p in missing if not any(ROOT.glob(f"library/**/{p}"))]
    assert missing == []


def test_every_test_the_map_cites_exists() -> None:
    text = MAP.read_text()
    every_test = "\n".join(p.read_text() for p in (ROOT / "tests").rglob("test_*.py"))
    cited = set(re.findall(r"`(test_[a-z0-9_]+)`", text))
    assert cited and [name for name in sorted(cited) if f"def {name}(" not in every_test] == []


def test_every_page_the_map_links_exists() -> None:
    links = re.findall(r"\]\(([a-z_-]+\.md)", MAP.read_text())
    assert links and [name for name in links if not (ROOT / "docs" / name).exists()] == []


def test_the_path_finder_reads_files_and_folders_but_not_patterns_or_addresses() -> None:
    text = "`cli/serve.py`, `webapp/server/`, `library/<area>/x.py`, `/laporan/`, `rt.now()`, `docs/a.md`"
    assert named_paths(text) == {"cli/serve.py", "webapp/server/", "docs/a.md"}
