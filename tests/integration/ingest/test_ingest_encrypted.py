"""Encrypted sources at ingest: a file that needs a password is refused, never taken in garbled."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.source import inspect
from tests.integration.ingest import hostile_files as hostile
from tests.integration.watermark import watermark_samples as samples

# (revision, AES): AES-256, AES-128 and RC4 at the revisions real files use.
KINDS = [(6, True), (4, True), (4, False), (3, False), (2, False)]
KIND_IDS = ["aes256", "aes128", "rc4-r4", "rc4-r3", "rc4-r2"]


@pytest.fixture
def locked(tmp_path: Path) -> Path:
    """A publication that opens only with the password "test" (RC4, revision 3)."""
    plain = hostile.text_pdf(tmp_path, "polos.pdf")
    return samples.encrypted(plain, tmp_path / "terkunci.pdf", user="test", revision=3, aes=False)


def _refused_as(code: str, path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        inspect(path)
    assert caught.value.code == code, caught.value.message


@pytest.mark.parametrize(("revision", "aes"), KINDS, ids=KIND_IDS)
def test_a_user_password_is_refused_and_an_owner_password_alone_taken_in(
    tmp_path: Path, revision: int, aes: bool
) -> None:
    plain = hostile.text_pdf(tmp_path, "polos.pdf")
    _refused_as(
        "encrypted", samples.encrypted(plain, tmp_path / "a.pdf", user="Hello", revision=revision, aes=aes)
    )
    facts = inspect(samples.encrypted(plain, tmp_path / "b.pdf", user="", revision=revision, aes=aes))
    assert (facts.text_pages, facts.repaired, facts.encrypted) == ((1, 2, 3, 4, 5, 6), False, True)


def test_damage_over_a_password_is_refused_as_locked(locked: Path, tmp_path: Path) -> None:
    _refused_as("encrypted", samples.broken_xref(locked, tmp_path / "xref.pdf"))
    _refused_as("encrypted", samples.lost_page_tree(locked, tmp_path / "kids.pdf"))
    _refused_as("encrypted", samples.encryption_unusable(locked, tmp_path / "unusable.pdf"))


def test_a_file_that_lost_the_trailer_naming_its_encryption_is_refused_not_taken_in_garbled(
    locked: Path, tmp_path: Path
) -> None:
    # MuPDF repairs the cross-references and finds the pages without their key.
    _refused_as("encrypted", samples.trailer_lost(locked, tmp_path / "lost.pdf"))
    _refused_as("damaged", samples.cut_short(locked, tmp_path / "cut.pdf"))  # the dictionary cut off too
