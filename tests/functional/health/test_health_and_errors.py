"""/healthz says the process answers; unexpected failures become a calm page, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from webapp import compile_templates


def test_healthz_names_the_instance(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "instance": client.application.extensions["pustaka"].instance_id}


def test_healthz_answers_while_the_database_is_not_ready(
    tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    """Liveness asks nothing of the other parts: a process is not restarted for its database."""
    app = make_app(instance_dir=tmp_path / "empty")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"


def test_an_unexpected_error_shows_a_page_without_a_traceback(app: Flask) -> None:
    def broken() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/rusak", "broken", broken)
    app.config["TESTING"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/rusak")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Maaf, server tidak dapat menyelesaikan permintaan Anda." in page
    assert "secret internals" not in page
    assert "Traceback" not in page


def test_a_wrong_method_gets_a_translated_page(client: FlaskClient) -> None:
    response = client.post("/katalog/")
    assert response.status_code == 405
    assert "Tidak diizinkan" in response.get_data(as_text=True)


def test_every_page_template_compiles_before_the_first_visitor(app: Flask) -> None:
    compiled = compile_templates(app)
    assert compiled == len(app.jinja_env.list_templates()) > 40
    assert app.jinja_env.cache is not None and len(app.jinja_env.cache) >= compiled
