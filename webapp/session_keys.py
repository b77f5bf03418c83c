"""The session keys as they are now, read at every request: a rotation or an expiry needs no restart.

`pustaka keys rotate` puts a new session key in the secrets folder, and a retired key stops
verifying anything once SESSION_KEY_KEPT has passed since its retirement. The runtime's ring
follows both (`Runtime.session_keys`); this session interface hands it to Flask before each
request opens its session, so the session cookie, the remember-me cookie and the CSRF tokens of
that request are signed with the current key and verified by no key that has expired.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from runtime.root import Runtime


class CurrentKeysSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the keys read from the runtime's ring each time."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Put the current key and those still valid in the app's config, then sign with them."""
        keys = self.rt.session_keys
        app.config["SECRET_KEY"] = keys[0]
        app.config["SECRET_KEY_FALLBACKS"] = list(keys[1:])
        return super().get_signing_serializer(app)


def init_app(app: Flask, rt: Runtime) -> None:
    """Make the app read its session keys from the runtime at every request."""
    app.session_interface = CurrentKeysSessionInterface(rt)
