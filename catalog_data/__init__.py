"""The office service standards as data, a demo catalogue and a demo-PDF generator.

A data-only layer: it imports neither `library`, `webapp` nor `flask`.
"""

from __future__ import annotations

from catalog_data.loaders import (
    load_demo_catalogue,
    load_glossary,
    load_offices,
    parse_demo_catalogue,
    parse_glossary,
    parse_offices,
)
from catalog_data.records import (
    SAMPLE_NOTICE,
    CatalogDataError,
    ComplaintChannel,
    DemoPublication,
    HoldingRecord,
    OfficeRecord,
    ServiceRecord,
)
from catalog_data.subjects import (
    SubjectGroupRecord,
    SubjectTermRecord,
    fold,
    load_subjects,
    parse_subjects,
    slug,
)

__all__ = [
    "SAMPLE_NOTICE",
    "CatalogDataError",
    "ComplaintChannel",
    "DemoPublication",
    "HoldingRecord",
    "OfficeRecord",
    "ServiceRecord",
    "SubjectGroupRecord",
    "SubjectTermRecord",
    "fold",
    "load_subjects",
    "parse_subjects",
    "slug",
    "load_demo_catalogue",
    "load_glossary",
    "load_offices",
    "parse_demo_catalogue",
    "parse_glossary",
    "parse_offices",
    "render_demo_pdf",
]


def render_demo_pdf(pub: DemoPublication) -> bytes:
    """Render the demo PDF of a publication, byte for byte the same on every run."""
    # Imported here so that reading the office data does not pay for reportlab and Pillow.
    from catalog_data.pdfgen import render_publication

    return render_publication(pub)
