"""`pustaka check`'s base URL line: the address in every QR code and email link reaches this instance."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from cli.check_result import Check
from runtime.root import Runtime


def check_base_url(rt: Runtime) -> Check:
    """Check PUSTAKA_BASE_URL: the address in every QR code and email link must reach this instance."""
    url = rt.settings.base_url.rstrip("/")
    parts = urllib.parse.urlsplit(url)
    fix = "Set PUSTAKA_BASE_URL to the address people open, e.g. https://pst.example.go.id."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Check("base URL", False, f"{url} is not a web address", fix)
    if parts.path not in ("", "/"):
        return Check(
            "base URL",
            False,
            f"{url} is under a path: Pustaka's links are root-relative, so it must have a host name "
            "(or port) of its own",
            "Serve it at the root of a host name of its own; see docs/production.md.",
        )
    if parts.scheme == "https" and rt.settings.proxy_count == 0:
        return Check(
            "base URL",
            False,
            f"{url} is https but PUSTAKA_PROXY_COUNT=0: behind a TLS proxy Pustaka must be told so, or "
            "it treats every visitor as on plain http",
            "Set PUSTAKA_PROXY_COUNT=1 (one proxy) and PUSTAKA_PROXY_ADDRESSES to the proxy's address.",
        )
    found = _instance_at(url, fix)
    if isinstance(found, Check):
        return found
    if not (rt.settings.secrets_path / "delivery_key").exists():
        return Check(
            "base URL",
            False,
            f"{url} answers, but this instance has no delivery key yet, so it cannot be told from another",
            "Start 'pustaka serve' here once (it makes the key), then run 'pustaka check' again.",
            required=False,
        )
    if found != rt.instance_id:
        return Check(
            "base URL",
            False,
            f"{url} answers, but is not this instance: QR codes and email links would open another site",
            fix,
        )
    loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
    return Check(
        "base URL",
        True,
        f"{url} reaches this instance" + (" (this machine only: fine for a trial)" if loopback else ""),
    )


def _instance_at(url: str, fix: str) -> str | None | Check:
    """Return the instance id the site at `url` names on /healthz, or the check failed when none answers."""
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:  # noqa: S310 - http(s) only
            found = json.loads(answer.read(4096)).get("instance")
    except urllib.error.HTTPError as exc:
        return Check(
            "base URL",
            False,
            f"{url}/healthz answers {exc.code}: the site there cannot serve yet",
            "Run 'pustaka db upgrade' where it runs, or see its log.",
            required=False,
        )
    except (OSError, ValueError) as exc:
        return Check(
            "base URL",
            False,
            f"nothing answers at {url} ({exc}): not started yet, or the proxy or DNS is not set up; "
            "QR codes and email links would not open",
            f"Start 'pustaka serve' (or the proxy) and run 'pustaka check' again. {fix}",
            required=False,
        )
    return found if isinstance(found, str) else None
