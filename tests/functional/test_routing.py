"""URL builders compiled once per process: every app's rules build what werkzeug's own would."""

from __future__ import annotations

from pathlib import Path

from werkzeug.routing import IntegerConverter, Rule

from library.settings import Settings
from webapp import create_app
from webapp.routing import SharedBuilderRule


def test_a_second_app_shares_the_first_apps_builders_and_they_build_the_same_addresses(
    tmp_path: Path,
) -> None:
    first = create_app(Settings.from_env({}, instance_dir=tmp_path / "one"))
    second = create_app(Settings.from_env({}, instance_dir=tmp_path / "two"))
    firsts = {(rule.endpoint, rule.rule): rule for rule in first.url_map.iter_rules()}
    rules = [rule for rule in second.url_map.iter_rules() if rule.endpoint != "static"]  # Flask's own, first
    assert len(rules) > 100 and all(isinstance(rule, SharedBuilderRule) for rule in rules)
    for rule in rules:
        shared = rule._build_unknown
        assert shared.__func__ is firsts[rule.endpoint, rule.rule]._build_unknown.__func__  # compiled once
        own = Rule._compile_builder(rule, True).__get__(rule, None)  # werkzeug's, compiled anew
        values = {
            name: 7 if isinstance(rule._converters[name], IntegerConverter) else "kota metro/ü"
            for name in rule.arguments
            if name not in (rule.defaults or {})
        }
        assert shared(**values, halaman="2") == own(**values, halaman="2"), rule.rule


def test_rules_that_differ_only_in_defaults_get_builders_of_their_own() -> None:
    one = SharedBuilderRule("/katalog/<int:page>", defaults={"page": 1}, endpoint="a")
    two = SharedBuilderRule("/katalog/<int:page>", defaults={"page": 2}, endpoint="b")
    assert one._builder_key(True) != two._builder_key(True)
