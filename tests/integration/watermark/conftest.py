"""Sample publications, stamped once per session, and the external tools the tests use."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conftest import require_service
from tests.integration.watermark import awkward_pages as awkward
from tests.integration.watermark import ink_pages
from tests.integration.watermark import watermark_samples as samples
from watermark import Mark, StampResult, stamp_pdf

SECRET = b"rahasia-uji-penyebaran"
MARK = Mark(
    delivery_id="7K3M9QPXW2RM",
    recipient_name="Ni Luh Putu Ayu Wulandari",
    recipient_email="ayu.wulandari@gmail.com",
    office_name="BPS Kota Metro",
    request_number="PST/2025/0042",
    delivered_at=datetime(2025, 3, 5, 7, 5, tzinfo=timezone.utc),
    verify_base_url="https://metrokota.bps.go.id/pustaka/verifikasi",
)


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    """Run an external tool; skip when it is not installed, except in CI where it must be."""
    require_service(str(command[0]), shutil.which(str(command[0])) is not None)
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, check=False)


def page_texts(path: Path) -> list[str]:
    """Return pdftotext's text of each page."""
    result = run("pdftotext", "-layout", path, "-")
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\f")[:-1]


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("watermark-samples")


@pytest.fixture(scope="session")
def born_digital(sample_dir: Path) -> Path:
    """The nine awkward pages: rotations, crop box, inherited resources, scan, form..."""
    return samples.born_digital(sample_dir / "born-digital.pdf")


@pytest.fixture(scope="session")
def scanned(sample_dir: Path) -> Path:
    """An image-only publication of two pages."""
    return samples.scanned(sample_dir / "scanned.pdf")


@pytest.fixture(scope="session")
def stamped(born_digital: Path, sample_dir: Path) -> tuple[Path, StampResult]:
    """The born-digital sample stamped for MARK."""
    target = sample_dir / "born-digital-stamped.pdf"
    return target, stamp_pdf(born_digital, target, MARK, SECRET)


@pytest.fixture(scope="session")
def stamped_scan(scanned: Path, sample_dir: Path) -> tuple[Path, StampResult]:
    """The scanned sample stamped for MARK."""
    target = sample_dir / "scanned-stamped.pdf"
    return target, stamp_pdf(scanned, target, MARK, SECRET)


@pytest.fixture(scope="session")
def content_pages(sample_dir: Path) -> Path:
    """A page of every kind of operation a render could show, and the pages a reader must decline."""
    return ink_pages.build(sample_dir / "content-pages.pdf")


@pytest.fixture(scope="session")
def awkward_corpus(sample_dir: Path) -> Path:
    """The awkward pages: full bleed, corner table, running footers, turns, crop, unit, tiny."""
    return awkward.build(sample_dir / "awkward-pages.pdf")


@pytest.fixture
def feet_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Have a first stamp draw every page's foot, as where the compiled foot reader was not built."""
    from watermark.ink import content_foot

    monkeypatch.setattr(content_foot, "_footscan", None)
