"""Sending the complaint form through the test client, with files."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, stream_encode_multipart

from tests.functional.accounts.helpers import csrf_token

FORM = {
    "name": "Sari Dewi",
    "email": "sari@example.id",
    "phone": "0812 3456 7890",
    "service": "library",
    "subject": "Antrean terlalu lama",
    "body": "Saya menunggu lebih dari satu jam di ruang perpustakaan tanpa dipanggil.",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


def file_complaint(
    client: FlaskClient,
    files: list[tuple[bytes, str]] = (),  # type: ignore[assignment]
    path: str = "/pengaduan",
    **changes: str,
) -> TestResponse:
    """Send the complaint form as a browser does (multipart, with its CSRF token)."""
    data: dict[str, object] = {"csrf_token": csrf_token(client, path), **FORM, **changes}
    fields = MultiDict(data)
    for content, name in files:
        fields.add("attachments", FileStorage(io.BytesIO(content), filename=name))
    # Encoded in memory: the test client would spool a large body to a file nobody closes.
    stream, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return client.post(
        path,
        input_stream=stream,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def code_of(answer: TestResponse) -> str:
    """Return the tracking code a redirect after the form points at."""
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer.headers["Location"].rsplit("/", 1)[-1]
