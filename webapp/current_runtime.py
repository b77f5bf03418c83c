"""The runtime of the web app answering the current request (`create_app` keeps it in its extensions)."""

from __future__ import annotations

from flask import current_app

from runtime.root import Runtime


def current_runtime() -> Runtime:
    """Return the runtime of the running web app."""
    return current_app.extensions["pustaka"]
