"""An attachment downloads under exactly the name its page lists, whatever name it was sent with."""

from __future__ import annotations

import dataclasses
import html
import re
from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import parse_options_header

from tests.functional.accounts.helpers import csrf_token, make_person, sign_in
from tests.functional.consultation.test_attachment_pages import PDF
from tests.functional.consultation.test_consultation_pages import FORM, number_of

# sent as -> listed and downloaded as
HOSTILE = {
    'a";x=.html': 'a";x=.pdf',  # a PDF is named a PDF; the quote and semicolon kept
    'laporan "final" \\ revisi.pdf': "revisi.pdf",  # a folder's name is not the file's
    "Ringkasan Ekonomi – Triwulan I.pdf": "Ringkasan Ekonomi – Triwulan I.pdf",
    "baris\r\nSet-Cookie: sesi=curi.pdf": "baris Set-Cookie: sesi=curi.pdf",
    "../../etc/passwd.pdf": "passwd.pdf",
    "tabel; filename=lain.pdf": "tabel; filename=lain.pdf",
    "100%25‮fdp.exe": "100%25 fdp.pdf",  # a right-to-left override would disguise the extension
}


def _send_named(client: FlaskClient, path: str, fields: dict[str, str], names: list[str]):
    """Post a form with a PDF under each name, as a client does that names files in RFC 8187."""
    boundary = "batas-pustaka-uji"
    fields = {"csrf_token": csrf_token(client, path), **fields}
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    )
    for name in names:
        disposition = f"form-data; name=\"attachments\"; filename*=UTF-8''{quote(name, safe='')}"
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + PDF + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _read_back_by_the_email_parser(disposition: str) -> str:
    """Return the RFC 8187 name as the standard library's MIME parser decodes it."""
    message = Message()
    message["Content-Disposition"] = disposition
    params = message.get_params(header="content-disposition") or []
    (extended,) = [value for key, value in params if key == "filename" and isinstance(value, tuple)]
    return collapse_rfc2231_value(extended)


@pytest.mark.parametrize("sending", ["", "x-accel-redirect"])
def test_each_listed_name_is_the_name_its_download_carries(
    app: Flask, client: FlaskClient, sending: str
) -> None:
    rt = app.extensions["pustaka"]
    rt.settings = dataclasses.replace(rt.settings, send_file_header=sending)
    sign_in(client, make_person(app, "ani@example.id"))
    sent = list(HOSTILE)  # at most 3 files a message: the question, then replies
    number = number_of(_send_named(client, "/konsultasi/baru", FORM, sent[:3]))
    for start in range(3, len(sent), 3):
        reply = {"body": "Berkas berikutnya."}
        assert _send_named(client, f"/konsultasi/{number}", reply, sent[start : start + 3]).status_code == 303
    page = client.get(f"/konsultasi/{number}").get_data(as_text=True)
    listed = {
        link: html.unescape(text)
        for link, text in re.findall(rf'href="(/konsultasi/{number}/lampiran/\d+)">([^<]*)</a>', page)
    }
    assert sorted(listed.values()) == sorted(HOSTILE.values())
    for link, name in listed.items():
        with client.get(link) as answer:
            disposition = answer.headers["Content-Disposition"]
        assert disposition.isascii() and not re.search(r"[\r\n]", disposition)
        assert parse_options_header(disposition) == ("attachment", {"filename": name})
        if not re.fullmatch(r"[A-Za-z0-9 ._()+,-]*", name):
            assert _read_back_by_the_email_parser(disposition) == name
        fallback = parse_options_header(disposition.split("; filename*=")[0])[1]["filename"]
        assert fallback.isascii() and '"' not in fallback and "\\" not in fallback
