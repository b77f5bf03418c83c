"""Security headers on every response: a strict Content-Security-Policy and the rest of the usual set.

No template has inline script, inline style or event-handler attributes, so the policy allows
only this site's own files (a test reads every template to keep it so). No other site may
frame a page (the approve and refuse buttons, the admin forms); the site itself may, as the
kiosk prints its ticket from a hidden frame. Links to other sites carry no address of ours:
visit-status and reset links hold tokens.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
HEADERS = {  # on every response
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
PAGE_HEADERS = {  # on HTML pages: a PDF with these would not open in Chromium's viewer
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


def init_app(app: Flask, *, https: bool) -> None:
    """Add the headers to every response; HSTS too when the site is served over https."""
    headers = dict(HEADERS, **({"Strict-Transport-Security": HSTS} if https else {}))

    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        # Kept by no browser and no proxy unless the route says so: pages show people and carry
        # form tokens, staff pages list visitors, downloads are someone's. What may be kept
        # says it (static files, the icon, covers, a publication's thumbnails: CACHEABLE).
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        if response.mimetype == "text/html":
            for name, value in PAGE_HEADERS.items():
                response.headers.setdefault(name, value)
        return response
