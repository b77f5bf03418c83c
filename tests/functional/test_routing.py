"""URL builders compiled once per process: every app's rules build what werkzeug's own would."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter, Map, Rule

from webapp.routing import SharedBuilderRule


def two_apps(make_app: Callable[..., Flask], tmp_path: Path) -> tuple[dict[tuple[str, str], Rule], Flask]:
    """Build two apps in this process; return the first's rules by endpoint and text, and the second."""
    first = make_app(instance_dir=tmp_path / "one")
    second = make_app(instance_dir=tmp_path / "two")
    return {(rule.endpoint, rule.rule): rule for rule in first.url_map.iter_rules()}, second


def test_a_second_app_shares_the_first_apps_builders_and_they_build_the_same_addresses(
    tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    firsts, second = two_apps(make_app, tmp_path)
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


def test_a_default_folded_into_the_address_is_built_by_its_own_rules_converter() -> None:
    # Werkzeug writes such a default into the builder through the rule's converter: not shared.
    plain = Map([SharedBuilderRule("/tahun/<int:year>", defaults={"year": 5}, endpoint="a")])
    padded = Map([SharedBuilderRule("/tahun/<int(fixed_digits=4):year>", defaults={"year": 5}, endpoint="a")])
    assert plain.bind("pustaka.test").build("a") == "/tahun/5"
    assert padded.bind("pustaka.test").build("a") == "/tahun/0005"


def test_rules_of_the_same_parts_share_a_builder_whatever_their_converters_arguments() -> None:
    one = Map([SharedBuilderRule("/rak/<int(min=1):shelf>", endpoint="a")])
    two = Map([SharedBuilderRule("/rak/<int(fixed_digits=3):shelf>", endpoint="a")])
    assert one.bind("pustaka.test").build("a", {"shelf": 7}) == "/rak/7"
    assert two.bind("pustaka.test").build("a", {"shelf": 7}) == "/rak/007"  # its own converter, at run time


def test_a_second_apps_rules_reuse_the_first_apps_parse_with_converters_of_their_own(
    tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    firsts, second = two_apps(make_app, tmp_path)
    for rule in (rule for rule in second.url_map.iter_rules() if rule.endpoint != "static"):
        own = Rule(rule.rule, endpoint=rule.endpoint)  # werkzeug's, parsed anew
        own.bind(Map(converters=second.url_map.converters))
        assert rule._parts == own._parts and rule._trace == own._trace, rule.rule
        assert set(rule._converters) == set(own._converters) and rule.arguments >= set(own._converters)
        for name, converter in rule._converters.items():  # each bound to its own app's map
            assert converter.map is second.url_map and type(converter) is type(own._converters[name])
            assert converter is not firsts[rule.endpoint, rule.rule]._converters[name]
    adapter = second.url_map.bind("pustaka.test")
    assert adapter.match("/katalog/7")[1] == {"publication_id": 7}


def test_a_rule_parses_anew_on_a_map_whose_converters_differ() -> None:
    class Shelf(IntegerConverter):
        regex = r"\d{3}"

    plain = Map([SharedBuilderRule("/rak/<int:shelf>", endpoint="a")])
    coded = Map([SharedBuilderRule("/rak/<int:shelf>", endpoint="a")], converters={"int": Shelf})
    assert plain.bind("pustaka.test").match("/rak/7") == ("a", {"shelf": 7})
    assert coded.bind("pustaka.test").match("/rak/007") == ("a", {"shelf": 7})
    assert coded.bind("pustaka.test").test("/rak/7") is False


def test_a_converter_class_a_parse_was_made_with_is_kept_so_no_other_class_takes_its_place() -> None:
    # Keyed by the class's id alone, a class collected later could leave that id to another class
    # of another regex, which would then match with the first one's parts.
    kind = type("Shelf", (IntegerConverter,), {"regex": r"\d{3}"})
    kept = weakref.ref(kind)
    rules = Map([SharedBuilderRule("/rak/<int:shelf>", endpoint="a")], converters={"int": kind})
    assert rules.bind("pustaka.test").test("/rak/007")
    del kind, rules
    gc.collect()
    assert kept() is not None
