"""Fixtures for the apps and runtimes tests make: each is closed when its test ends.

A runtime holds pooled database connections, its job lanes' queue connections and the search
index. Dropped, they wait for the garbage collector, which closes them in whichever later test
it runs, and Python 3.13 reports each there (a ResourceWarning, an error in these tests).
Registered for every tier by the root conftest (`pytest_plugins`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask

from library.settings import Settings

if TYPE_CHECKING:
    from runtime.root import Runtime


@pytest.fixture(autouse=True)
def runtimes_closed() -> Iterator[None]:
    """Close every runtime the test made (an app's too) once the test and its fixtures are done.

    Set up before the test's own fixtures (it is autouse), it is torn down after them.
    """
    from runtime.root import Runtime

    made: list[Runtime] = []
    build = Runtime.__init__

    def built(self: Runtime, *args: Any, **kwargs: Any) -> None:
        build(self, *args, **kwargs)
        made.append(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Runtime, "__init__", built)
        yield
    for rt in made:
        rt.close()


@pytest.fixture
def make_app(request: pytest.FixtureRequest) -> Callable[..., Flask]:
    """Return a maker of web apps with settings of the test's own.

    `make_app(env, read_only=True)` passes its arguments to `Settings.from_env`, on the test's
    copy of the demo instance (the functional tier's `instance_dir`, cloned only when asked for)
    unless given another `instance_dir=`; `make_app(settings)` and `make_app(runtime)` build on
    those. An app's runtime, made in the test, is closed by `runtimes_closed`.
    """
    from runtime.root import Runtime  # the web shell, loaded by the tests that make an app
    from webapp import create_app

    def make(config: Mapping[str, str] | Settings | Runtime | None = None, /, **settings: Any) -> Flask:
        if isinstance(config, Settings | Runtime):
            return create_app(config)
        if "instance_dir" not in settings:
            settings["instance_dir"] = request.getfixturevalue("instance_dir")
        return create_app(Settings.from_env(dict(config or {}), **settings))

    return make
