"""Encrypted files: opened with an empty password and stamped, or refused as locked, never "repaired"."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from tests.integration.watermark import watermark_samples as samples
from tests.integration.watermark.conftest import MARK, SECRET, page_texts
from watermark import WatermarkError, stamp_pdf
from watermark.pdf.encryption import reads_as_operators, reads_plain
from watermark.pdf.repair import repair

ROOT = Path(__file__).resolve().parents[4]
LOCKED = "This PDF is locked with a password to open it; unlock it (qpdf --decrypt) and upload it again."
# The command line words it in Indonesian, from the catalogue.
LOCKED_ID = "PDF ini dikunci kata sandi pembuka; buka kuncinya (qpdf --decrypt) lalu unggah lagi."
# (revision, AES): AES-256, AES-128, and RC4 at the revisions pdf.js's test files use.
KINDS = [(6, True), (4, True), (4, False), (3, False), (2, False)]
KIND_IDS = ["aes256", "aes128", "rc4-r4", "rc4-r3", "rc4-r2"]


@pytest.fixture(scope="module")
def simple(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return samples.simple(tmp_path_factory.mktemp("simple") / "simple.pdf")


def _refused_as_locked(source: Path, out: Path) -> None:
    with pytest.raises(WatermarkError) as caught:
        stamp_pdf(source, out, MARK, SECRET)
    assert (caught.value.code, str(caught.value)) == ("encrypted", LOCKED)
    assert not out.exists()


@pytest.mark.parametrize(("revision", "aes"), KINDS, ids=KIND_IDS)
def test_a_file_that_needs_a_password_is_refused_and_never_repaired(
    revision: int, aes: bool, simple: Path, tmp_path: Path
) -> None:
    locked = samples.encrypted(simple, tmp_path / "locked.pdf", user="Hello", revision=revision, aes=aes)
    assert repair(locked) is None  # dropping its /Encrypt would hand out its encrypted pages
    _refused_as_locked(locked, tmp_path / "out.pdf")


@pytest.mark.parametrize(("revision", "aes"), KINDS, ids=KIND_IDS)
def test_a_file_locked_by_an_owner_password_only_is_stamped_readable(
    revision: int, aes: bool, simple: Path, tmp_path: Path
) -> None:
    source = samples.encrypted(simple, tmp_path / "owner.pdf", user="", revision=revision, aes=aes)
    result = stamp_pdf(source, tmp_path / "out.pdf", MARK, SECRET)
    assert not result.repaired
    texts = page_texts(tmp_path / "out.pdf")
    assert all(
        "Penduduk menurut kecamatan" in text and "ID Pengiriman 7K3M9QPXW2RM" in text for text in texts
    )


def test_damage_over_a_password_is_refused_as_locked(simple: Path, tmp_path: Path) -> None:
    locked = samples.encrypted(simple, tmp_path / "locked.pdf", user="test", revision=3, aes=False)
    for spoil in (samples.broken_xref, samples.lost_page_tree):
        _refused_as_locked(spoil(locked, tmp_path / f"{spoil.__name__}.pdf"), tmp_path / "out.pdf")


def test_a_file_that_lost_the_trailer_naming_its_encryption_is_refused_not_stamped_garbled(
    simple: Path, tmp_path: Path
) -> None:
    # qpdf rebuilds the cross-references and finds the pages without the encryption: their
    # content is what RC4 made of it, and the encryption dictionary is still among the objects.
    locked = samples.encrypted(simple, tmp_path / "locked.pdf", user="test", revision=3, aes=False)
    _refused_as_locked(samples.trailer_lost(locked, tmp_path / "lost.pdf"), tmp_path / "out.pdf")
    # Cut shorter, the dictionary is gone too: the pages still read as no PDF, and are refused.
    with pytest.raises(WatermarkError) as caught:
        stamp_pdf(samples.cut_short(locked, tmp_path / "cut.pdf"), tmp_path / "out.pdf", MARK, SECRET)
    assert caught.value.code in ("damaged", "encrypted")


@pytest.mark.parametrize("user", ["Hello", ""])
def test_an_encryption_entry_no_reader_can_use_over_encrypted_pages_is_refused_as_locked(
    user: str, simple: Path, tmp_path: Path
) -> None:
    locked = samples.encrypted(simple, tmp_path / "locked.pdf", user=user, revision=3, aes=False)
    unusable = samples.encryption_unusable(locked, tmp_path / "unusable.pdf")
    assert repair(unusable) is None
    _refused_as_locked(unusable, tmp_path / "out.pdf")


def test_a_stale_entry_naming_a_dictionary_without_keys_is_dropped_and_the_file_stamped(
    simple: Path, tmp_path: Path
) -> None:
    data = simple.read_bytes().replace(b"trailer\n<<", b"trailer\n<< /Encrypt 1 0 R", 1)
    keyless = tmp_path / "keyless.pdf"  # its object 1 a dictionary with no /O, /U or /P
    keyless.write_bytes(data.replace(b"1 0 obj\n<<", b"1 0 obj\n<< /Filter /Standard /V 2 /R 3", 1))
    result = stamp_pdf(keyless, tmp_path / "out.pdf", MARK, SECRET)
    assert str(result.warnings[0]) == "An encryption entry that encrypts nothing was ignored."
    assert all("Penduduk menurut kecamatan" in text for text in page_texts(tmp_path / "out.pdf"))


@pytest.mark.parametrize(("revision", "aes"), KINDS, ids=KIND_IDS)
def test_encrypted_pages_read_as_no_pdf_when_their_entry_is_dropped(
    revision: int, aes: bool, simple: Path, tmp_path: Path
) -> None:
    # What the old check let through: RC4 output parsed as odd operators without complaint.
    locked = samples.encrypted(simple, tmp_path / "locked.pdf", user="Hello", revision=revision, aes=aes)
    with pikepdf.open(locked, password="Hello") as pdf:
        assert reads_plain(pdf)  # the same file, read with its key
    blanked = re.sub(rb"/Encrypt\s*\d+\s+\d+\s+R", lambda m: b" " * len(m.group()), locked.read_bytes())
    with pikepdf.open(io.BytesIO(blanked)) as pdf:
        assert not reads_plain(pdf)
        assert not any(reads_as_operators(page.obj.Contents.read_bytes()) for page in pdf.pages)


def test_the_command_line_refuses_a_locked_file_in_one_line(simple: Path, tmp_path: Path) -> None:
    locked = samples.encrypted(simple, tmp_path / "locked.pdf", user="Hello", revision=4, aes=False)
    result = subprocess.run(
        [sys.executable, "-m", "watermark", "stamp", str(locked), str(tmp_path / "out.pdf")]
        + ["--name", "Budi", "--email", "b@x.id"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"galat: {LOCKED_ID}"
    assert not (tmp_path / "out.pdf").exists()
