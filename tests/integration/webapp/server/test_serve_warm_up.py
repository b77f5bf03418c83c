"""A web process warms up after it serves: render workers, templates, then the collector's freeze."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from flask import Flask

from webapp.server import web_process as serve


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Leave the test process's collector as it was."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_warm_up_starts_the_reader_compiles_the_templates_and_freezes_what_is_held(
    monkeypatch, unfrozen
) -> None:
    monkeypatch.setattr(serve, "WARM_UP_AFTER", 0)
    done: list[str] = []
    rt = SimpleNamespace(page_pictures=SimpleNamespace(warm=lambda: done.append("reader")))

    def compile_templates(app: Flask) -> int:
        assert gc.get_freeze_count() == 0  # frozen last, with the compiled templates in it
        done.append("templates")
        return 0

    held = [object() for _ in range(100)]  # what the process holds before the freeze
    serve._warm_up(rt, Flask(__name__), compile_templates)  # type: ignore[arg-type]
    assert done == ["reader", "templates"]
    assert gc.get_freeze_count() >= len(held)


def test_the_web_app_is_built_before_the_fork_with_the_first_pages_compiled_and_nothing_opened(
    tmp_path,
) -> None:
    from library.settings import Settings
    from runtime.root import Runtime

    rt = Runtime(Settings.from_env(instance_dir=str(tmp_path)))
    app = serve.web_app(rt, threads=16)
    compiled = {name for _, name in app.jinja_env.cache.keys()}  # (loader, name) of each template loaded
    assert compiled >= set(serve.FIRST_TEMPLATES)
    assert set(serve.FIRST_TEMPLATES) <= set(app.jinja_env.list_templates())  # no name misspelt
    assert not rt.has_connected  # each web process opens its own database connections and index
    assert rt.engine.pool.size() == 16  # each process's pool, sized for its threads when it connects
    rt.close()
