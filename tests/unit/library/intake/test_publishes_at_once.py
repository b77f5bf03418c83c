"""Which new publications are public at once, and which wait as drafts for a librarian's review."""

from __future__ import annotations

import pytest

from library.intake.publishing import publishes_at_once
from library.models import IngestChannel, IngestJob

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("channel", "draft", "public"),
    [
        (IngestChannel.UPLOAD, {"title": "Kota Metro Dalam Angka 2025"}, False),  # reviewed beside its pages
        (IngestChannel.HOT_FOLDER, {}, False),
        (IngestChannel.CLI, {}, False),  # a bare file: its title is a guess
        (IngestChannel.CLI, {"publish": "1"}, True),  # pustaka ingest --publish
        (IngestChannel.CSV, {"title": "Statistik Daerah Kota Metro 2025"}, True),  # a catalogue row
        (IngestChannel.CSV, {"title": "  "}, False),
        (IngestChannel.DEMO, {}, True),
    ],
)
def test_a_new_publication_is_public_at_once_only_when_a_person_wrote_its_details(
    channel: IngestChannel, draft: dict[str, str], public: bool
) -> None:
    assert publishes_at_once(IngestJob(channel=channel.value, draft=draft)) is public
