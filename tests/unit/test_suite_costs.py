"""The suite's cost summary: test-seconds per tier and per database, read from pytest's JUnit XML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.costs import HISTORY_HEADER, append_history, history_line, read, summary

RESULTS = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="tests.unit.test_a" name="test_one" time="0.5"/>
<testcase classname="tests.integration.library.test_b" name="test_two[sqlite]" time="2.0"/>
<testcase classname="tests.integration.library.test_b" name="test_two[postgresql]" time="3.0"/>
<testcase classname="tests.browser.test_c" name="test_page" time="10.0"/>
</testsuite></testsuites>
"""


def test_a_runs_costs_are_summed_per_tier_database_and_module(tmp_path: Path) -> None:
    path = tmp_path / "results.xml"
    path.write_text(RESULTS)
    costs = read(path, keep=2)
    assert costs.tests == 4 and costs.total == 15.5
    assert costs.tiers == {"unit": 0.5, "integration": 5.0, "browser": 10.0}
    assert costs.postgres == {"integration": 3.0}
    assert costs.modules["tests.integration.library.test_b"] == 5.0
    assert costs.slowest == [
        (10.0, "tests.browser.test_c::test_page"),
        (3.0, "tests.integration.library.test_b::test_two[postgresql]"),
    ]
    text = summary(costs, modules=1)
    assert "integration" in text and "PostgreSQL runs" in text and "tests.browser.test_c" in text


def test_each_whole_run_adds_one_line_under_one_header(tmp_path: Path) -> None:
    path = tmp_path / "results.xml"
    path.write_text(RESULTS)
    costs = read(path, keep=2)
    history = tmp_path / "times.tsv"
    for _ in range(2):
        append_history(history, history_line(costs, 900, "abc1234", dt.datetime(2026, 11, 29, 8, 0)))
    lines = history.read_text().splitlines()
    slowest = (
        "10.0 tests.browser.test_c::test_page; 3.0 tests.integration.library.test_b::test_two[postgresql]"
    )
    assert lines == [HISTORY_HEADER, *[f"2026-11-29T08:00\tabc1234\t900\t4\t0\t5\t0\t10\t{slowest}"] * 2]
