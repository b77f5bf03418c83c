"""The pages' own gettext and url_for: the same words and addresses as Flask-Babel's and Flask's."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale


def test_a_forced_language_inside_a_page_is_followed_and_then_left(app: Flask) -> None:
    plural = 'ngettext("%(num)s publication found", "%(num)s publications found", 2)'
    template = '{{ _("Search") }}|{{ ' + plural + " }}"
    with app.test_request_context("/"):
        before = render_template_string(template)
        with force_locale("en"):
            inside = render_template_string(template)
        after = render_template_string(template)
    assert before == after == "Cari|2 publikasi ditemukan"
    assert inside == "Search|2 publications found"


def test_a_site_served_under_a_path_gets_addresses_under_that_path(client) -> None:
    at_root = client.get("/cari/?q=penduduk").get_data(as_text=True)
    under = client.get("/cari/?q=penduduk", environ_overrides={"SCRIPT_NAME": "/pst"}).get_data(as_text=True)
    assert 'action="/cari/"' in at_root and 'href="/katalog/' in at_root
    assert 'action="/pst/cari/"' in under and 'href="/pst/katalog/' in under
    assert 'href="/katalog/' not in under
