"""Public links: every address an email, stamp or QR code carries opens the page it names."""

from __future__ import annotations

import pytest
from flask import Flask

from runtime.links import PUBLIC_ROUTES, PublicLinks


@pytest.mark.parametrize("endpoint", sorted(PUBLIC_ROUTES))
def test_every_public_route_is_the_rule_the_app_serves(app: Flask, endpoint: str) -> None:
    served = {rule.rule for rule in app.url_map.iter_rules(endpoint)}
    assert PUBLIC_ROUTES[endpoint] in served


def test_links_keep_the_base_urls_path_and_scheme() -> None:
    links = PublicLinks("https://pst.example.go.id/pustaka/")
    assert (
        links.request_page("PS-20261122-00001")
        == "https://pst.example.go.id/pustaka/permintaan/PS-20261122-00001"
    )
    assert links.verify_base == "https://pst.example.go.id/pustaka/verifikasi"
    assert links.reader(7) == "https://pst.example.go.id/pustaka/baca/7"


def test_link_values_are_escaped() -> None:
    links = PublicLinks("http://127.0.0.1:8000")
    assert links.verify_email("a b?c#d") == "http://127.0.0.1:8000/verifikasi-email/a%20b%3Fc%23d"
