"""The unit and integration tiers mirror the source: a folder of tests is named as the folder it tests.

`tests/unit/library/frontoffice/` holds the tests of `library/frontoffice/`; a module's tests are
found where its folder's are. A folder without test modules (files other systems wrote, say) is
data, not a mirror.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIRRORING = ("unit", "integration")


def unmirrored(tests: Path, source: Path) -> list[str]:
    """Return each folder below `tests` that holds test modules and names no folder below `source`."""
    return sorted(
        folder.relative_to(tests).as_posix()
        for folder in tests.rglob("*")
        if folder.is_dir()
        and any(folder.glob("test_*.py"))
        and not (source / folder.relative_to(tests)).is_dir()
    )


def test_each_folder_of_tests_is_named_as_the_source_folder_it_tests() -> None:
    found = {tier: unmirrored(ROOT / "tests" / tier, ROOT) for tier in MIRRORING}
    assert found == {tier: [] for tier in MIRRORING}


def test_the_check_finds_a_folder_of_tests_with_no_source(tmp_path: Path) -> None:
    for folder in ("tests/library/queue", "tests/library/samples", "src/library/queue"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "tests/library/queue/test_calls.py").touch()
    (tmp_path / "tests/library/samples/scan.pdf").touch()
    assert unmirrored(tmp_path / "tests", tmp_path / "src") == []
    (tmp_path / "tests/library/queues").mkdir()
    (tmp_path / "tests/library/queues/test_calls.py").touch()
    assert unmirrored(tmp_path / "tests", tmp_path / "src") == ["library/queues"]
