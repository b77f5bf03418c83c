"""Who is signed in: Flask-Login wired to library users, CSRF on every form, role checks.

Views get the acting person with `current_actor()` and pass it to use cases; pages for staff
use `@role_required(Role.LIBRARIAN)` (signed out: to the sign-in page; wrong role: 403). The
decorator is only a first gate: each use case asks `library.permissions` again, of the person
as the database holds them now.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, abort, current_app, request, session
from flask_babel import lazy_gettext as _  # `_`: the message extractor knows this name
from flask_login import LoginManager, UserMixin, current_user, user_loaded_from_cookie
from flask_login.utils import decode_cookie, encode_cookie
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from library.accounts.person_reads import read_person
from library.models import Role, User
from webapp.current_runtime import current_runtime


class SessionLoginManager(LoginManager):
    """Flask-Login's manager whose "strong" protection guards only a signed-in session.

    Flask-Login treats any session without its client mark as stolen: a session holding only a
    CSRF token or a terminal visitor was "cleared" on every request (each answer rewrote the
    cookie, so an answer sent late by a request in flight, such as a page's image, undid a
    sign-out made meanwhile). A sign-in from the remember-me cookie is marked as it happens
    (`_bind_to_client`): Flask-Login leaves it unmarked, and threw it out on the next request.
    """

    def _session_protection_failed(self) -> bool:
        if "_user_id" not in session:
            return False  # no one signed in: nothing to protect
        return bool(super()._session_protection_failed())

    def _load_user_from_remember_cookie(self, cookie: str) -> Any:
        # A cookie signed with a session key since rotated out (`pustaka keys rotate`) still signs in
        # until it expires: it is read as if the current key had signed it.
        if decode_cookie(cookie) is None:
            for key in current_app.config.get("SECRET_KEY_FALLBACKS") or ():
                payload = decode_cookie(cookie, key=key)
                if payload is not None:
                    cookie = encode_cookie(payload)
                    break
        return super()._load_user_from_remember_cookie(cookie)

    def bind_to_client(self) -> None:
        """Mark the session as this client's, as a sign-in with the password does."""
        session["_id"] = self._session_identifier_generator()


login_manager = SessionLoginManager()
csrf = CSRFProtect()
REMEMBER_DAYS = 30
F = TypeVar("F", bound=Callable[..., Any])


class SignedIn(UserMixin):
    """The signed-in person as Flask-Login sees them."""

    def __init__(self, user: User) -> None:
        self.user = user
        # The session counter is part of the id kept in the session and the remember-me
        # cookie: raising it (new password, deactivation) ends every other session.
        self.id = f"{user.id}:{user.session_version}"

    @property
    def is_active(self) -> bool:
        return self.user.active


def load_user(session_id: str) -> SignedIn | None:
    """Load the signed-in person from the session's id, if it is still current."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    with current_runtime().uow() as uow:
        user = read_person(uow, int(user_id))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return SignedIn(user)


def current_actor() -> User | None:
    """Return the signed-in person (a detached, read-only User) or None; views pass it to use cases."""
    if current_user.is_authenticated:
        return cast(SignedIn, current_user).user
    return None


def role_required(*roles: Role) -> Callable[[F], F]:
    """Let only people holding one of the roles in (admins hold every role); none given: anyone signed in."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if actor is None:
                return login_manager.unauthorized()
            if roles and not any(actor.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


def client_address() -> str:
    """Return the client's address (behind trusted proxies: as they report it)."""
    return request.remote_addr or "unknown"


def from_office_tablet(address: str | None = None) -> bool:
    """Tell whether the client (or `address`) is a front office tablet (PUSTAKA_KIOSK_ADDRESSES)."""
    try:
        ip = ipaddress.ip_address(address or client_address())
    except ValueError:
        return False
    return any(ip in network for network in current_runtime().settings.kiosk_networks)


def _bind_to_client(_app: Flask, **_: object) -> None:
    """Mark a session signed in from the remember-me cookie as this client's."""
    login_manager.bind_to_client()


class TrustedProxies:
    """Read X-Forwarded-For/-Proto only from the configured proxies' addresses; drop them from others.

    A client that reaches the app's port directly could otherwise forge its address (to slip past
    a per-address limit, or to pass for one of the office's kiosks).
    """

    def __init__(self, app: Any, count: int, networks: tuple[Any, ...]) -> None:
        self.fixed = ProxyFix(app, x_for=count, x_proto=count)
        self.app = app
        self.networks = networks

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        """Read the forwarded headers of a trusted proxy's request; drop those of anyone else's."""
        try:
            peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            peer = None
        if peer is not None and any(peer in network for network in self.networks):
            return self.fixed(environ, start_response)
        for key in [k for k in environ if k.startswith("HTTP_X_FORWARDED_")]:
            del environ[key]
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Set up Flask-Login, CSRF protection on every form, the cookie flags and trusted proxies."""
    settings = app.extensions["pustaka"].settings
    if settings.proxy_count:
        # Rate limits count per client address: behind a proxy, that is what it forwards, and
        # only a request from the proxy's own address is believed (`TrustedProxies`).
        app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]
            app.wsgi_app, settings.proxy_count, settings.proxy_networks
        )
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))
    app.config.setdefault("REMEMBER_COOKIE_DURATION", dt.timedelta(days=REMEMBER_DAYS))
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_SECURE", secure)
    # The token lives as long as the session: a form left open over lunch still works.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    user_loaded_from_cookie.connect(_bind_to_client, app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _("Please sign in to see that page.")
    login_manager.login_message_category = "info"

    @app.context_processor
    def actor_context() -> dict[str, object]:
        return {"actor": current_actor()}
