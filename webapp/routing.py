"""URL rules parsed and compiled once per process, for every app `create_app` builds."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from werkzeug.routing import BaseConverter, Rule

# What parsing a rule leaves, shared by identical rules: its parts (regular expressions and
# weights), its trace (what its builders are made from) and, per variable, its converter's
# name and arguments (each rule makes converters of its own, bound to its map).
_Parsed = tuple[list[Any], list[tuple[bool, str]], dict[str, tuple[str, tuple[Any, ...], Mapping[str, Any]]]]


class SharedBuilderRule(Rule):
    """A URL rule that reuses what an identical rule parsed and compiled before in this process.

    Werkzeug parses each rule into regular expressions and compiles two builder functions per
    rule (with and without extra arguments) from a syntax tree: most of the time it takes to
    build an app (226 rules: 43 ms of CPU an app with the builders shared, 21 ms with the parse shared too). A
    rule's parts depend only on its text, its host or subdomain, whether slashes merge and the
    map's converters; a builder only on the rule's parts (its text, host or subdomain) and the
    names of its variables and defaults: it reaches the rule's own converters through the rule
    it is bound to (`_builder_key`). A process serving one app gains nothing; a process building
    many apps (the CLI's commands one after another, each test of the suite) parses and compiles
    each rule once instead of once per app, as `compiled_templates` does for pages.
    """

    _builders: dict[Hashable, Callable[..., tuple[str, str]]] = {}
    _parsed: dict[Hashable, _Parsed] = {}
    _lock = threading.Lock()

    def compile(self) -> None:
        """Compile the rule, from what an identical rule parsed when one did (`_parsed`)."""
        assert self.map is not None, "rule not bound"
        key = self._parse_key()
        with self._lock:
            parsed = self._parsed.get(key)
        if parsed is None:
            self._specs: dict[str, tuple[str, tuple[Any, ...], Mapping[str, Any]]] = {}
            super().compile()  # notes each variable's converter (`get_converter`)
            with self._lock:
                self._parsed.setdefault(key, (list(self._parts), list(self._trace), self._specs))
            return
        parts, trace, specs = parsed
        self._parts, self._trace = list(parts), list(trace)
        self._converters = {
            name: self.map.converters[converter](self.map, *args, **kwargs)
            for name, (converter, args, kwargs) in specs.items()
        }
        self.arguments.update(specs)
        self._build = self._compile_builder(False).__get__(self, None)
        self._build_unknown = self._compile_builder(True).__get__(self, None)

    def get_converter(
        self, variable_name: str, converter_name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]
    ) -> BaseConverter:
        """Return the variable's converter, noting which it is for an identical rule to make its own."""
        self.__dict__.setdefault("_specs", {})[variable_name] = (converter_name, args, kwargs)
        return super().get_converter(variable_name, converter_name, args, kwargs)

    def _parse_key(self) -> Hashable:
        """Return what parsing the rule depends on."""
        assert self.map is not None
        domain = self.host if self.map.host_matching else self.subdomain
        # The classes themselves (their names are unique): a key holds them, so no class collected
        # later can leave its id to another that parses otherwise.
        converters = tuple(sorted(self.map.converters.items()))
        return (
            type(self),
            self.rule,
            domain or "",
            self.map.host_matching,
            bool(self.merge_slashes),
            converters,
        )

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        key = self._builder_key(append_unknown)
        if key is None:
            return super()._compile_builder(append_unknown)
        with self._lock:
            builder = self._builders.get(key)
        if builder is None:
            builder = super()._compile_builder(append_unknown)
            with self._lock:
                self._builders.setdefault(key, builder)
        return builder

    def _builder_key(self, append_unknown: bool) -> Hashable | None:
        """Return what the builder is made from, or None when it holds values of this rule's own.

        A default of a variable in the rule is folded into the builder through this rule's
        converter (its arguments too): such a builder is not shared. Otherwise the builder is
        the rule's parts, which variables it takes and which have defaults (their values are
        not in it), and reaches the converters through the rule it is bound to.
        """
        defaults = self.defaults or {}
        if any(dynamic and part in defaults for dynamic, part in self._trace):
            return None
        return (append_unknown, tuple(self._trace), tuple(sorted(defaults)))
