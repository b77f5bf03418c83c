"""Deterministic demo PDFs for the demo catalogue: born-digital and scanned."""

from __future__ import annotations

from functools import cache

from catalog_data.loaders import load_offices
from catalog_data.pdfgen.born_digital import render_born_digital
from catalog_data.pdfgen.scanned import render_scanned
from catalog_data.records import CatalogDataError, DemoPublication, OfficeRecord


@cache
def _offices() -> dict[str, OfficeRecord]:
    return {office.code: office for office in load_offices()}


def render_publication(pub: DemoPublication) -> bytes:
    """Render the demo PDF of a publication: image-only when scanned, else born-digital."""
    office = _offices().get(pub.office)
    if office is None:
        raise CatalogDataError(
            f"publication {pub.key!r}", "office", f"no office with code {pub.office!r} in offices.toml"
        )
    return render_scanned(pub, office) if pub.scanned else render_born_digital(pub, office)
