"""The PST home page shows the office's services and their standards, from data."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_the_home_page_is_in_indonesian_by_default(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "Layanan kami dan standar pelayanannya" in page
    assert "BPS Kota Metro" in page


def test_the_library_standard_shows_its_five_minute_target(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Layanan Perpustakaan" in page
    assert "dilayani paling lama 5 menit setelah mengisi buku tamu" in page
    assert "No. SK 010 Tahun 2024" in page


def test_the_consultation_standard_shows_walk_in_and_online_targets(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "dilayani paling lama 10 menit sejak pengguna pada antrean sebelumnya selesai" in page
    assert "dilayani paling lama 3 hari kerja setelah permintaan jelas dan lengkap" in page


def test_every_public_heading_of_the_standard_is_shown(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    for heading in (
        "Persyaratan",
        "Prosedur: kunjungan langsung",
        "Waktu penyelesaian",
        "Biaya/tarif",
        "Produk pelayanan",
        "Pengaduan",
    ):
        assert f"<dt>{heading}</dt>" in page
    assert "Tidak dipungut biaya" in page
    assert "Pustaka hardcopy dan softcopy berwatermark" in page


def test_the_complaint_channels_come_from_the_data(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'href="mailto:bps1872@bps.go.id"' in page
    assert "Kotak saran &amp; pengaduan" in page


def test_the_home_page_lists_the_newest_publications_of_the_office(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Publikasi terbaru" in page
    assert "/katalog/" in page


def test_another_office_shows_its_own_standards(make_app) -> None:
    app = make_app(office="1805")
    page = app.test_client().get("/").get_data(as_text=True)
    assert "BPS Kabupaten Tulang Bawang" in page
    assert "Layanan Perpustakaan" not in page
    assert "tidak ada tanggapan selama 7 hari" in page


def test_an_office_missing_from_the_database_gets_a_clear_page(make_app) -> None:
    app = make_app(office="9999")
    response = app.test_client().get("/")
    assert response.status_code == 404
    assert "Tidak ada kantor dengan kode 9999." in response.get_data(as_text=True)
