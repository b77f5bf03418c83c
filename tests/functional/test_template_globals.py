"""The pages' own gettext and url_for: the same words and addresses as Flask-Babel's and Flask's."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def test_a_session_s_form_token_is_signed_once_and_still_accepted(app: Flask, monkeypatch) -> None:
    from itertools import count

    from itsdangerous import TimestampSigner

    from tests.functional.accounts.helpers import CSRF, make_person, sign_in

    seconds = count(1_800_000_000)  # every signature a second later: signed anew, a token differs
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: next(seconds))
    person = make_person(app, "token@example.id")
    first, second = app.test_client(), app.test_client()
    assert sign_in(first, person).status_code == 303
    assert sign_in(second, person).status_code == 303
    first.get("/cari/")  # the session's first page after signing in gives it a new raw token
    pages = ("/cari/", "/cari/?q=penduduk", "/cari/")
    tokens = [CSRF.findall(first.get(path).get_data(as_text=True)) for path in pages]
    assert tokens[0] and all(found == tokens[0][:1] * len(found) for found in tokens)  # signed once
    assert CSRF.search(second.get("/cari/").get_data(as_text=True)).group(1) != tokens[0][0]
    signed_out = first.post("/keluar", data={"csrf_token": tokens[0][0]})
    assert signed_out.status_code in (302, 303)
    assert "/keluar" not in first.get("/").get_data(as_text=True)  # the sign-out form is gone
    refused = second.post("/keluar", data={"csrf_token": tokens[0][0]})  # another session's token
    assert refused.status_code == 400


def test_every_message_is_what_jinja_s_own_gettext_gives_in_each_language_and_escaping(app: Flask) -> None:
    # `_()` keeps a message's translation per locale and escaping; Jinja's `gettext` (the
    # `{% trans %}` tag's) is not kept. Every message of the catalogue, in both languages, asked
    # twice (made, then kept), escaped and not, with and without values, gives what it gives.
    from babel.messages.pofile import read_po

    catalogue_path = Path(app.root_path) / "translations" / "id" / "LC_MESSAGES" / "messages.po"
    with catalogue_path.open("rb") as source:
        messages = [m.id for m in read_po(source) if m.id and isinstance(m.id, str)]
    assert len(messages) > 300
    environment = app.jinja_env
    ours = environment.from_string("{{ _(m) }}|{% autoescape false %}{{ _(m) }}{% endautoescape %}")
    jinja = environment.from_string(
        "{{ gettext(m) }}|{% autoescape false %}{{ gettext(m) }}{% endautoescape %}"
    )
    with app.test_request_context("/"):
        for locale in ("id", "en", "id"):
            with force_locale(locale):
                for message in messages:
                    if "%(" in message:
                        continue  # asked with values below
                    try:
                        expected = jinja.render(m=message)
                    except ValueError:  # a lone "%": Python code's message, not a template's
                        with pytest.raises(ValueError):
                            ours.render(m=message)
                        continue
                    assert ours.render(m=message) == ours.render(m=message) == expected, message
        with force_locale("en"):
            valued = '{{ _("Please verify your email address: open the link we sent to %(email)s. '
            valued += 'Until then you cannot ask for softcopies.", email=e) }}'
            page = environment.from_string(valued).render(e="a<b@example.id")
            text = environment.from_string("{% autoescape false %}" + valued + "{% endautoescape %}")
            assert "a&lt;b@example.id" in page and "a<b@example.id" in text.render(e="a<b@example.id")
        assert environment.from_string('{{ _("100%% sure") }}').render() == "100% sure"
