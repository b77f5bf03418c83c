"""Request bodies are limited per route: forms are small, files large only for a signed-in librarian."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from library.settings import Settings
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from webapp.bodies import ATTACHMENT_LIMIT, FORM_LIMIT, REFUSED_ENVIRON, gate_limit

MB = 1024 * 1024
FORM = "application/x-www-form-urlencoded"


class CountedBody(io.RawIOBase):
    """A request body of `size` bytes that counts how many of them were read."""

    def __init__(self, size: int) -> None:
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = offset + (self.size if whence == io.SEEK_END else 0)
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        count = max(0, min(len(buffer), self.size - self.position))
        buffer[:count] = b"a" * count
        self.position += count
        self.read_bytes += count
        return count


def signed_in(app: Flask, who: str) -> FlaskClient:
    """Return a client: anonymous, or signed in as a new person of that role."""
    client = app.test_client()
    if who != "anonymous":
        person = make_person(app, f"{who}@example.id", [Role(who)])
        assert sign_in(client, person).status_code == 303
    return client


def post_file(client: FlaskClient, path: str, size: int) -> tuple[int, str]:
    """Post a form with a file of `size` bytes and the CSRF token; return the status and the text."""
    token = csrf_token(client, "/profil" if client.get("/profil").status_code == 200 else "/masuk")
    data = {"csrf_token": token, "berkas": (io.BytesIO(b"%PDF-1.7\n" + b"0" * size), "besar.pdf")}
    response = client.post(path, data=data, content_type="multipart/form-data")
    return response.status_code, page_text(response)


def test_a_large_sign_in_form_is_refused_before_a_byte_of_it_is_read(client: FlaskClient) -> None:
    body = CountedBody(200 * MB)
    response = client.post("/masuk", input_stream=body, content_length=body.size, content_type=FORM)
    assert response.status_code == 413
    assert body.read_bytes == 0
    text = page_text(response)
    assert "Terlalu banyak yang dikirim" in text and f"paling banyak {FORM_LIMIT // 1024} KB" in text


def test_the_refusal_is_in_english_for_a_visitor_who_chose_it(client: FlaskClient) -> None:
    client.set_cookie("lang", "en")
    response = client.post("/masuk", data={"email": "x" * (FORM_LIMIT + 1)})
    assert response.status_code == 413
    assert "Too much was sent" in page_text(response) and "Traceback" not in response.get_data(as_text=True)


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(client: FlaskClient) -> None:
    body = CountedBody(200 * MB)
    chunked = {"wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"}
    response = client.post("/masuk", input_stream=body, content_type=FORM, environ_overrides=chunked)
    assert response.status_code == 413
    assert body.read_bytes <= FORM_LIMIT + MB  # read up to the limit (and a buffer), not on to the end


def test_a_form_just_under_the_limit_is_read_as_usual(client: FlaskClient) -> None:
    token = csrf_token(client, "/masuk")
    response = client.post("/masuk", data={"csrf_token": token, "email": "x" * (FORM_LIMIT - 2048)})
    assert response.status_code == 400  # the form again, with its errors
    assert "Masuk" in page_text(response) and "Terlalu banyak" not in page_text(response)


def test_a_body_the_server_kept_out_is_answered_413(client: FlaskClient) -> None:
    response = client.post("/masuk", environ_overrides={REFUSED_ENVIRON: str(FORM_LIMIT)})
    assert response.status_code == 413 and "Terlalu banyak yang dikirim" in page_text(response)


@pytest.mark.parametrize(
    ("who", "path", "refused"),
    [
        ("anonymous", "/meja/lacak", True),
        ("anonymous", "/meja/ingest/baru", True),
        ("anonymous", "/meja/pindai", True),
        ("reader", "/meja/lacak", True),
        ("front_office", "/meja/pindai", True),
        ("consultant", "/meja/ingest/baru", True),
        ("librarian", "/meja/lacak", False),
        ("librarian", "/meja/ingest/baru", False),
        ("librarian", "/meja/pindai", False),
        ("admin", "/meja/lacak", False),
        ("librarian", "/profil", True),  # forms stay small for staff too
        ("admin", "/katalog/1/minta", True),
    ],
)
def test_only_a_librarian_sends_a_large_file_and_only_where_files_go(
    app: Flask, who: str, path: str, refused: bool
) -> None:
    status, text = post_file(signed_in(app, who), path, FORM_LIMIT + 50_000)
    assert (status == 413) is refused, (status, text[:300])
    if refused and path.startswith("/meja/"):
        assert "Hanya staf perpustakaan yang sudah masuk yang dapat mengirim berkas ke sini." in text


def test_a_librarians_file_over_the_upload_limit_is_told_the_limit(make_app: Callable[..., Flask]) -> None:
    app = make_app(max_upload_mb=1)
    app.config["TESTING"] = True
    librarian = signed_in(app, "librarian")
    body = CountedBody(2 * MB)
    kind = "multipart/form-data; boundary=x"
    response = librarian.post(
        "/meja/ingest/baru", input_stream=body, content_length=body.size, content_type=kind
    )
    assert response.status_code == 413 and body.read_bytes == 0
    text = page_text(response)
    assert "Berkas terlalu besar" in text and "paling banyak 1 MB" in text
    assert post_file(signed_in(app, "admin"), "/meja/ingest/baru", 400_000)[0] != 413


def tampered(value: str) -> str:
    """The cookie with its signature's first letter changed: the signature's last letter
    carries unused bits in base64, so changing it may leave the signature the same."""
    head, signature = value.rsplit(".", 1)
    first = "B" if signature[0] == "A" else "A"
    return f"{head}.{first}{signature[1:]}"


def test_the_servers_gate_lets_a_large_body_through_only_to_a_signed_in_person_on_a_file_route(
    app: Flask,
) -> None:
    limit = gate_limit(app)
    large = app.config["MAX_CONTENT_LENGTH"]
    client = signed_in(app, "librarian")
    cookie = client.get_cookie("session")
    assert cookie is not None
    session = f"session={cookie.value}"
    assert limit("/meja/lacak", session) == large
    assert limit("/meja/ingest/baru", f"lang=id; {session}") == large
    assert limit("/masuk", session) == FORM_LIMIT
    assert limit("/meja/lacak", "") == FORM_LIMIT
    assert limit("/meja/lacak", f"session={tampered(cookie.value)}") == FORM_LIMIT
    anonymous = app.test_client()
    anonymous.get("/masuk")  # a session with a CSRF token, no one signed in
    visitor = anonymous.get_cookie("session")
    assert visitor is not None and limit("/meja/lacak", f"session={visitor.value}") == FORM_LIMIT


def test_the_servers_gate_lets_attachments_through_to_anyone_signed_in_on_a_consultation_form(
    app: Flask,
) -> None:
    limit = gate_limit(app)
    client = signed_in(app, "reader")
    cookie = client.get_cookie("session")
    assert cookie is not None
    session = f"session={cookie.value}"
    assert ATTACHMENT_LIMIT > 15 * MB
    assert limit("/konsultasi/baru", session) == ATTACHMENT_LIMIT
    assert limit("/konsultasi/KS-20261123-00001", session) == ATTACHMENT_LIMIT
    assert limit("/meja/konsultasi/KS-20261123-00001/pesan", session) == ATTACHMENT_LIMIT
    assert limit("/konsultasi/KS-20261123-00001/buka-kembali", session) == ATTACHMENT_LIMIT
    assert limit("/konsultasi/KS-20261123-00001/janji/1", session) == ATTACHMENT_LIMIT
    assert limit("/meja/konsultasi/KS-20261123-00001/tugaskan", session) == FORM_LIMIT
    assert limit("/konsultasi/baru", "") == FORM_LIMIT
    assert limit("/meja/lacak", session) == app.config["MAX_CONTENT_LENGTH"]  # the app then asks for the role


def test_attachments_past_three_files_of_five_megabytes_are_refused_in_indonesian(app: Flask) -> None:
    client = signed_in(app, "reader")
    body = CountedBody(ATTACHMENT_LIMIT + 1)
    answer = client.post(
        "/konsultasi/baru",
        input_stream=body,
        content_length=body.size,
        content_type="multipart/form-data; boundary=x",
    )
    assert answer.status_code == 413 and body.read_bytes == 0
    assert "Lampirkan paling banyak 3 berkas" in page_text(answer)


def test_the_upload_setting_states_the_form_limit() -> None:
    meaning = {name: doc for name, _, doc in Settings.documented()}["PUSTAKA_MAX_UPLOAD_MB"]
    assert f"held to {FORM_LIMIT // 1024} KB" in meaning
