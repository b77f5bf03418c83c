"""The Flask shell of Pustaka: create_app(), one blueprint per area, templates, CLI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from library.settings import Settings
from runtime.root import Runtime
from webapp import addresses, bodies, session_keys
from webapp.compiled_templates import COMPILED
from webapp.routing import SharedBuilderRule


def create_app(config: Runtime | Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the web app from a runtime, settings, or overrides of the environment's settings."""
    if isinstance(config, Runtime):
        rt = config
    else:
        settings = config if isinstance(config, Settings) else Settings.from_env(**dict(config or {}))
        rt = Runtime(settings)
    app = Flask(__name__)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": COMPILED}
    app.url_rule_class = SharedBuilderRule
    addresses.init_app(app)  # before any route is added: the routes' converters
    app.extensions["pustaka"] = rt
    configure(app, rt)
    init_shell(app, rt)
    register_blueprints(app)
    from webapp import request_log

    request_log.init_app(app)  # last: it wraps the other WSGI layers and reads every route's secrets
    return app


def configure(app: Flask, rt: Runtime) -> None:
    """Set the app's keys, locale, body limit and session cookie from the runtime's settings."""
    settings = rt.settings
    app.config.update(
        SECRET_KEY=rt.secret_key,
        SECRET_KEY_FALLBACKS=list(rt.session_keys[1:]),  # sessions signed before `pustaka keys rotate`
        PUSTAKA_DEFAULT_LOCALE=settings.default_locale,
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024 + bodies.FORM_LIMIT,  # a file and its form
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
    )
    session_keys.init_app(app, rt)  # both keys above are read again at every request


def init_shell(app: Flask, rt: Runtime) -> None:
    """Set up what every page goes through: metrics, languages, bodies, sign-in, menus, errors, headers."""
    from webapp import auth, errors, favicon, i18n, menu, metrics, read_only, security, template_globals
    from webapp.live_figures import LiveFigures

    metrics.init_app(app, lambda: LiveFigures(rt), auth.client_address)  # first: a request's time counts

    @app.before_request
    def read_the_office_first() -> None:
        # Views ask for the office's day inside their unit of work: its time zone is read
        # (once) before, so that a request holds one database connection at a time.
        try:
            rt.timezone()
        except SQLAlchemyError:
            pass  # no database or no schema yet: the page itself says so (/readyz: 503)

    i18n.init_app(app, rt.settings.instance_path / "translations")
    bodies.init_app(app)  # before auth's CSRF check, which reads the body
    auth.init_app(app)
    template_globals.init_app(app)  # after Flask-Babel and Flask-WTF: their template functions are replaced
    menu.init_app(app)
    errors.init_app(app)
    read_only.init_app(app, rt.settings.read_only)
    security.init_app(app, https=rt.settings.base_url.startswith("https://"))
    favicon.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Register one blueprint per area, in the order their routes are matched."""
    from webapp.accounts import admin_bp as accounts_admin_bp
    from webapp.accounts import bp as accounts_bp
    from webapp.appointments import bp as appointments_bp
    from webapp.backups import bp as backups_bp
    from webapp.browse import bp as browse_bp
    from webapp.catalogue import bp as catalogue_bp
    from webapp.complaints import bp as complaints_bp
    from webapp.consultation import bp as consultation_bp
    from webapp.desk import bp as desk_bp
    from webapp.health import bp as health_bp
    from webapp.home import bp as home_bp
    from webapp.identifiers import bp as identifiers_bp
    from webapp.kiosk import bp as kiosk_bp
    from webapp.kiosk import push_bp
    from webapp.knowledge import bp as knowledge_bp
    from webapp.language import bp as language_bp
    from webapp.lockers import bp as lockers_bp
    from webapp.oai import bp as oai_bp
    from webapp.operations import bp as operations_bp
    from webapp.queue import bp as queue_bp
    from webapp.reader import bp as reader_bp
    from webapp.reports import bp as reports_bp
    from webapp.reports import review_bp as survey_review_bp
    from webapp.scans import bp as scans_bp
    from webapp.search import bp as search_bp
    from webapp.softcopy import bp as softcopy_bp
    from webapp.supervision import bp as supervision_bp
    from webapp.survey import bp as survey_bp
    from webapp.terminal import bp as terminal_bp
    from webapp.verification import bp as verification_bp
    from webapp.whatsapp import bp as whatsapp_bp

    for bp in (
        home_bp, catalogue_bp, browse_bp, health_bp, verification_bp, accounts_bp, accounts_admin_bp, desk_bp,
        oai_bp, search_bp, softcopy_bp, reader_bp, kiosk_bp, push_bp, queue_bp, lockers_bp, terminal_bp,
        scans_bp, survey_bp, consultation_bp, complaints_bp, knowledge_bp, reports_bp, survey_review_bp,
        operations_bp, supervision_bp, appointments_bp, backups_bp, whatsapp_bp, identifiers_bp, language_bp,
    ):  # fmt: skip
        app.register_blueprint(bp)


def compile_templates(app: Flask) -> int:
    """Compile every page template now (~0.8 s), so later requests wait for none; return how many."""
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
