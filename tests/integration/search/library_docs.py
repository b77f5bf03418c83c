"""The search engine contract's small library: publications every engine indexes alike.

A plain module (no pytest), so that the benchmarks can use the same library.
"""

from __future__ import annotations

from datetime import date

from search.engine import PageText, PublicationDoc


def make_doc(publication_id: str, title: str, *pages: str, **fields) -> PublicationDoc:
    """Return a publication whose pages are numbered from 1."""
    fields.setdefault("fingerprint", f"sha-{publication_id}")
    numbered = tuple(PageText(number, text) for number, text in enumerate(pages, 1))
    return PublicationDoc(publication_id=publication_id, title=title, pages=numbered, **fields)


LIBRARY = [
    make_doc(
        "metro-2023",
        "Kota Metro Dalam Angka 2023",
        "Jumlah penduduk menurut kecamatan di Kota Metro tahun 2023.",
        "Kepadatan penduduk per kilometer persegi menurut kecamatan.",
        "Tingkat pengangguran terbuka menurut jenis kelamin.",
        "Catatan: <b>angka sementara</b> & belum final.",
        abstract="Publikasi tahunan tentang Kota Metro.",
        subject="Kependudukan",
        office_code="1872",
        office_name="BPS Kota Metro",
        publication_type="Dalam Angka",
        year=2023,
        katalog_bps="1102001.1872",
        nomor_publikasi="18720.2301",
        issn="2089-1234",
        access_level="terbuka",
        release_date=date(2023, 2, 28),
    ),
    make_doc(
        "tuba-2022",
        "Statistik Kependudukan Tulang Bawang 2022",
        "Kependudukan dan keluarga berencana.",
        "Migrasi masuk dan migrasi keluar.",
        subject="Kependudukan",
        office_code="1805",
        office_name="BPS Kabupaten Tulang Bawang",
        publication_type="Publikasi Tematik",
        year=2022,
        katalog_bps="2101018.1805",
        isbn="978-602-438-123-4",
        access_level="terbuka",
        release_date=date(2022, 6, 30),
    ),
    make_doc(
        "buah-2021",
        "Statistik Hortikultura 2021",
        "Produksi anggur menurut kecamatan.",
        "Luas panen buah-buahan.",
        subject="Pertanian",
        office_code="1872",
        office_name="BPS Kota Metro",
        publication_type="Publikasi Tematik",
        year=2021,
        katalog_bps="5203010.1872",
        access_level="terbatas",
        release_date=date(2021, 9, 1),
    ),
    make_doc(
        "sakernas-2023",
        "Keadaan Angkatan Kerja Sumatera Selatan 2023",
        "Tingkat pengangguran terbuka naik.",
        "Upah buruh menurut lapangan usaha.",
        subject="Ketenagakerjaan",
        office_code="1600",
        office_name="BPS Provinsi Sumatera Selatan",
        publication_type="Publikasi Tematik",
        year=2023,
        access_level="terbuka",
        release_date=date(2023, 11, 6),
    ),
    make_doc(
        "labour-2020",
        "Labour Force Statistics 2020",
        "Unemployment rates by province.",
        "Employed persons by main industry.",
        subject="Ketenagakerjaan",
        office_code="1600",
        office_name="BPS-Statistics Sumatera Selatan Province",
        publication_type="Publikasi Tematik",
        language="en",
        year=2020,
        access_level="terbuka",
        release_date=date(2020, 12, 1),
    ),
]
