"""A small HTTP client for the service benchmark: one person's browser on a keep-alive connection.

Standard library only (http.client), so the benchmark measures the server, not a client
library, and needs nothing beyond what Pustaka itself installs.
"""

from __future__ import annotations

import http.client
import re
import secrets
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

_VALUE = re.compile(r"value=\"([^\"]*)\"")
# The server may close an idle keep-alive connection; a request sent on it never arrived.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def form_value(page: str, name: str) -> str | None:
    """Return the value of a page's first input named `name` (a form's CSRF token, a hidden field)."""
    found = re.search(rf"<input[^>]*name=\"{re.escape(name)}\"[^>]*>", page)
    value = _VALUE.search(found.group(0)) if found else None
    return value.group(1) if value else None


class ClientError(Exception):
    """The site answered something the benchmark did not expect."""


@dataclass(frozen=True)
class Reply:
    """What the server answered."""

    status: int
    location: str
    content_type: str
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        """Return the body as text."""
        return self.body.decode("utf-8", "replace")


class Browser:
    """One person's browser: a keep-alive connection, cookies, and the forms' CSRF tokens."""

    def __init__(self, base_url: str, timeout: float = 300.0, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.headers = headers or {}  # sent with every request, e.g. X-Forwarded-For
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None
        self._used = False

    def get(self, path: str) -> Reply:
        """GET a path."""
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Reply:
        """POST form fields, as a browser sends a form."""
        body = urlencode(fields).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def post_files(self, path: str, fields: dict[str, str], name: str, filename: str, data: bytes) -> Reply:
        """POST a multipart form with one file, as a browser sends an upload."""
        boundary = "----pustaka-bench-" + secrets.token_hex(8)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Reply:
        """Send one request on the kept connection (opened again if the server closed it)."""
        headers = {"Accept-Language": "id", **self.headers}
        if content_type:
            headers["Content-Type"] = content_type
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        while True:
            reused = self._used
            connection = self._open()
            start = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except _STALE:
                self.close()
                if reused:
                    continue  # the idle connection had been closed by the server: send it again
                raise
            except (OSError, http.client.HTTPException):
                self.close()
                raise
            seconds = time.perf_counter() - start
            self._used = True
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return Reply(
                response.status,
                response.getheader("Location", ""),
                response.getheader("Content-Type", ""),
                data,
                seconds,
            )

    def csrf_token(self, path: str) -> str:
        """Open a page with a form and return the form's CSRF token."""
        reply = self.get(path)
        value = form_value(reply.text, "csrf_token")
        if reply.status != 200 or value is None:
            raise ClientError(f"GET {path}: {reply.status}, no form with a CSRF token")
        return value

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the sign-in form."""
        token = self.csrf_token("/masuk")
        reply = self.post_form("/masuk", {"email": email, "password": password, "csrf_token": token})
        if reply.status != 303:
            raise ClientError(f"signing in as {email}: {reply.status} {reply.text[:300]}")

    def tab(self) -> Browser:
        """Return another connection of the same person and session, as a second browser tab."""
        other = Browser(f"http://{self.host}:{self.port}", self.timeout, self.headers)
        other.cookies = dict(self.cookies)
        return other

    def close(self) -> None:
        """Close the connection."""
        if self._connection is not None:
            self._connection.close()
        self._connection, self._used = None, False

    def _open(self) -> http.client.HTTPConnection:
        """Return the kept connection, opening it if needed."""
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self._used = False
        return self._connection

    def _keep_cookies(self, headers: list[str]) -> None:
        """Remember the cookies the server set; forget those it deleted."""
        for header in headers:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
