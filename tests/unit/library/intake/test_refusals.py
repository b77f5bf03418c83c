"""The refusals of a file at ingest name the limit that refused it."""

from __future__ import annotations

from ingest.errors import IngestError
from ingest.limits import Limits
from library.intake.submit import refusal


def test_an_inflating_stream_is_refused_naming_the_stream_cap_not_the_upload_limit() -> None:
    limits = Limits(max_bytes=512 * 2**20)  # the upload limit; streams are held to max_stream_bytes
    engine = IngestError("holds a stream that inflates too far", code="stream_too_large", limit_mb=128)
    refused = refusal(engine, "bom.pdf", limits)
    assert "more than 128 MB" in str(refused) and "512" not in str(refused)
    assert limits.max_stream_bytes == 128 * 2**20
