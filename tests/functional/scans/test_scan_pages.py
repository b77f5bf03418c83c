"""The librarian's scanning pages and the visitor's download, through the test client."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.models import Delivery, IngestJob, Role, ScanStatus, VisitorScan
from tests.functional.accounts.helpers import csrf_token, make_person, outbox, page_text, sign_in
from tests.functional.scans.conftest import DAY, add_visit, signed_in
from tests.integration.ingest import hostile_files
from tests.integration.library.pdf_helpers import tiny_pdf

TITLE = "Kota Metro Dalam Angka 2019, hlm. 10-12"


def send_scan(
    client: FlaskClient, files: list[tuple[bytes, str]] | None = None, token: str | None = None, **fields: str
):
    """Post the scan form as a browser does: its fields, its files, the page's CSRF token."""
    data: dict[str, object] = {
        "csrf_token": csrf_token(client, "/meja/pindai") if token is None else token,
        "visit": "",
        "ticket": "",
        "title": TITLE,
        "publication": "",
        **fields,
    }
    data["berkas"] = [(io.BytesIO(content), name) for content, name in (files or [])]
    return client.post("/meja/pindai", data=data, content_type="multipart/form-data")


def scans_stored(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(func.count(VisitorScan.id))) or 0


def files_stored(app: Flask) -> int:
    root = Path(app.extensions["pustaka"].settings.files_path)
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


PDF = (tiny_pdf("Kota Metro Dalam Angka 2019", 3), "pindaian.pdf")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/meja/pindai", "get"),
        ("/meja/pindai", "post"),
        ("/meja/pindai/1", "get"),
        ("/meja/pindai/1/salinan.pdf", "get"),
        ("/meja/pindai/1/ulangi", "post"),
        ("/meja/pindai/1/koleksi", "post"),
        ("/meja/pindai/publikasi.json?q=kota", "get"),
    ],
)
@pytest.mark.parametrize("roles", [[Role.READER], [Role.FRONT_OFFICE], [Role.CONSULTANT]])
def test_only_librarians_reach_the_scanning_pages(app: Flask, path: str, method: str, roles) -> None:
    client = signed_in(app, "bukan@bps.go.id", roles)
    data = {"csrf_token": csrf_token(client, "/permintaan/")} if method == "post" else None
    assert getattr(client, method)(path, data=data).status_code == 403
    nobody = app.test_client()
    data = {"csrf_token": csrf_token(nobody, "/masuk")} if method == "post" else None
    answer = getattr(nobody, method)(path, data=data)
    assert answer.status_code in (302, 303) and "/masuk" in answer.headers["Location"]


def test_the_scanning_page_lists_todays_visits_in_indonesian(app: Flask, librarian: FlaskClient) -> None:
    add_visit(app, "Dewi Lestari")
    add_visit(app, "Budi Kemarin", day=DAY.replace(day=22))
    response = librarian.get("/meja/pindai")
    text = page_text(response)
    assert response.status_code == 200
    assert "Pindai untuk pengunjung" in text and "Dewi Lestari · P-001" in text
    assert "Budi Kemarin" not in text


def test_a_scan_is_stamped_for_the_visitor_and_offered_to_them_and_to_the_librarian(
    app: Flask, librarian: FlaskClient
) -> None:
    visitor = make_person(app, "dewi@example.id", name="Dewi Lestari")
    visit_id, code = add_visit(app, "Dewi Lestari", "dewi@example.id", visitor.id)
    response = send_scan(librarian, [PDF], ticket=code.lower())
    assert response.status_code == 303
    page = librarian.get(response.headers["Location"])
    text = page_text(page)
    assert "Siap" in text and "dewi@example.id" in text and "Permintaan saya" in text
    assert 'http-equiv="refresh"' not in page.get_data(as_text=True)
    with app.extensions["pustaka"].uow() as uow:
        scan = uow.session.scalars(select(VisitorScan)).one()
        row = uow.session.scalars(select(Delivery)).one()
        assert (scan.status, row.channel, row.visit_id, row.title) == ("ready", "scan", visit_id, TITLE)
        scan_id = scan.id
    copy = librarian.get(f"/meja/pindai/{scan_id}/salinan.pdf")
    assert copy.status_code == 200 and copy.mimetype == "application/pdf"
    assert copy.headers["Content-Disposition"].startswith("inline")
    assert "Dewi Lestari" in pdf_text(copy.data)
    copy.close()
    (mail,) = [m for m in outbox(app) if m["To"] == "dewi@example.id"]
    assert "/permintaan/" in mail.get_content()


def pdf_text(data: bytes) -> str:
    """Return the text of a PDF's pages."""
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_the_visitor_finds_the_scan_on_my_requests_and_downloads_it_once_counted(
    app: Flask, librarian: FlaskClient
) -> None:
    visitor = make_person(app, "dewi@example.id", name="Dewi Lestari")
    _, code = add_visit(app, "Dewi Lestari", "dewi@example.id", visitor.id)
    send_scan(librarian, [PDF], ticket=code)
    with app.extensions["pustaka"].uow() as uow:
        scan_id = uow.session.scalar(select(VisitorScan.id))
    client = app.test_client()
    sign_in(client, visitor)
    mine = page_text(client.get("/permintaan/"))
    assert "Halaman yang dipindai untuk Anda di PST" in mine and TITLE in mine
    token = csrf_token(client, "/permintaan/")
    got = client.post(f"/permintaan/pindai/{scan_id}/unduh", data={"csrf_token": token})
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert "Dewi Lestari" in pdf_text(got.data)
    got.close()
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.get(VisitorScan, scan_id).downloads == 1
    stranger = signed_in(app, "ani@example.id", [Role.READER])
    refused = stranger.post(
        f"/permintaan/pindai/{scan_id}/unduh", data={"csrf_token": csrf_token(stranger, "/permintaan/")}
    )
    assert refused.status_code == 404


def test_a_visitor_without_email_is_handed_the_printed_copy(app: Flask, librarian: FlaskClient) -> None:
    visit_id, _ = add_visit(app, "Budi Santoso")
    response = send_scan(librarian, [PDF], visit=str(visit_id))
    text = page_text(librarian.get(response.headers["Location"]))
    assert "tidak memberikan alamat email" in text and "Buka salinan untuk dicetak atau diserahkan" in text
    assert outbox(app) == []


def test_page_images_are_one_scan(app: Flask, librarian: FlaskClient, tmp_path: Path) -> None:
    visit_id, _ = add_visit(app)
    image = hostile_files.page_image(400, 560)
    pages = []
    for number in (1, 2):
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pages.append((buffer.getvalue() + bytes(number), f"halaman {number}.png"))
    response = send_scan(librarian, pages, visit=str(visit_id))
    assert response.status_code == 303
    with app.extensions["pustaka"].uow() as uow:
        scan = uow.session.scalars(select(VisitorScan)).one()
        assert (scan.page_count, scan.status, scan.original_name) == (2, "ready", "2 halaman")


HOSTILE_FILES = [
    ("encrypted_pdf", "dilindungi kata sandi"),
    ("garbage_pdf", "rusak"),
    ("text_renamed_pdf", "bukan berkas PDF, TIFF, JPEG, atau PNG"),
    ("empty_file", "kosong"),
    ("decompression_bomb_png", "terlalu besar"),
]


@pytest.mark.parametrize(("maker", "words"), HOSTILE_FILES)
def test_a_hostile_file_gets_a_clear_message_and_nothing_is_kept(
    app: Flask, librarian: FlaskClient, tmp_path: Path, maker: str, words: str
) -> None:
    _, code = add_visit(app)
    path = getattr(hostile_files, maker)(tmp_path)
    before = files_stored(app)
    response = send_scan(librarian, [(path.read_bytes(), path.name)], ticket=code)
    assert response.status_code == 400
    assert words in page_text(response)
    assert scans_stored(app) == 0 and files_stored(app) == before


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"ticket": "P-099"}, "Tidak ada tiket P-099 hari ini"),
        ({"ticket": "<script>alert(1)</script>"}, "Ketik kode pada tiket antrean"),
        ({"visit": "99999999999999999999"}, "Pilih pengunjung dari daftar hari ini"),
        ({"visit": "abc"}, "Pilih pengunjung dari daftar hari ini"),
        ({"ticket": "P-001", "title": "ab"}, "Sebutkan apa yang dipindai"),
        ({"ticket": "P-001", "title": "x" * 5000}, "kurang dari 500 karakter"),
        ({"ticket": "P-001", "publication": "abc"}, "nomor publikasi"),
        ({"ticket": "P-001", "publication": "987654321"}, "Tidak ada publikasi bernomor 987654321"),
    ],
)
def test_a_wrong_value_is_shown_on_its_field_and_nothing_is_kept(
    app: Flask, librarian: FlaskClient, fields: dict[str, str], words: str
) -> None:
    add_visit(app)
    response = send_scan(librarian, [PDF], **fields)
    assert response.status_code == 400
    assert words in page_text(response)
    assert scans_stored(app) == 0


def test_a_scan_without_a_file_is_refused(app: Flask, librarian: FlaskClient) -> None:
    _, code = add_visit(app)
    response = send_scan(librarian, [], ticket=code)
    assert response.status_code == 400 and "Pilih berkas hasil pindai" in page_text(response)


def test_a_form_without_its_token_is_refused(app: Flask, librarian: FlaskClient) -> None:
    _, code = add_visit(app)
    assert send_scan(librarian, [PDF], token="", ticket=code).status_code == 400
    assert scans_stored(app) == 0


def test_a_file_over_the_limit_gets_the_size_page(app: Flask, librarian: FlaskClient) -> None:
    _, code = add_visit(app)
    token = csrf_token(librarian, "/meja/pindai")
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = send_scan(librarian, [(b"%PDF-1.7\n" + b"0" * 5000, "besar.pdf")], token=token, ticket=code)
    assert response.status_code == 413 and "Berkas terlalu besar" in page_text(response)
    assert scans_stored(app) == 0


@pytest.mark.parametrize("path", ["/meja/pindai/424242", "/meja/pindai/99999999999", "/meja/pindai/abc"])
def test_a_scan_that_does_not_exist_is_not_found(librarian: FlaskClient, path: str) -> None:
    assert librarian.get(path).status_code == 404
    assert librarian.get(path + "/salinan.pdf").status_code == 404


def test_a_failed_copy_shows_its_reason_and_is_made_again(app: Flask, librarian: FlaskClient) -> None:
    _, code = add_visit(app)
    send_scan(librarian, [PDF], ticket=code)
    with app.extensions["pustaka"].uow() as uow:
        scan = uow.session.scalars(select(VisitorScan)).one()
        scan.status = ScanStatus.FAILED.value
        scan.failure_reason = "The copy could not be made: %(detail)s"
        scan.failure_params = {"detail": "disk penuh"}
        uow.commit()
        scan_id = scan.id
    page = librarian.get(f"/meja/pindai/{scan_id}")
    assert "Salinan tidak dapat dibuat: disk penuh" in page_text(page)
    again = librarian.post(
        f"/meja/pindai/{scan_id}/ulangi",
        data={"csrf_token": csrf_token(librarian, f"/meja/pindai/{scan_id}")},
    )
    assert again.status_code == 303
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.get(VisitorScan, scan_id).status == "ready"
    refused = librarian.post(
        f"/meja/pindai/{scan_id}/ulangi",
        data={"csrf_token": csrf_token(librarian, f"/meja/pindai/{scan_id}")},
    )
    assert refused.status_code == 400


def test_a_scan_is_sent_to_the_collection_once(app: Flask, librarian: FlaskClient) -> None:
    _, code = add_visit(app)
    send_scan(librarian, [(tiny_pdf("Statistik Kesejahteraan Rakyat 1998", 2), "kesra.pdf")], ticket=code)
    with app.extensions["pustaka"].uow() as uow:
        scan_id = uow.session.scalar(select(VisitorScan.id))
    page = f"/meja/pindai/{scan_id}"
    assert "Tambahkan hasil pindai ini ke koleksi" in page_text(librarian.get(page))
    sent = librarian.post(page + "/koleksi", data={"csrf_token": csrf_token(librarian, page)})
    assert sent.status_code == 303
    with app.extensions["pustaka"].uow() as uow:
        job = uow.session.get(IngestJob, uow.session.get(VisitorScan, scan_id).ingest_job_id)
        assert job.draft == {"title": TITLE}
        job_id = job.id
    text = page_text(librarian.get(page))
    assert f"Pekerjaan pemasukan {job_id}" in text and "Tambahkan hasil pindai ini ke koleksi" not in text


def test_the_picker_finds_publications_by_title(app: Flask, librarian: FlaskClient) -> None:
    found = librarian.get("/meja/pindai/publikasi.json?q=Kota").get_json()
    assert found and all("kota" in item["title"].lower() for item in found) and len(found) <= 10
    assert librarian.get("/meja/pindai/publikasi.json?q=" + "%" * 500).status_code == 200


def test_the_ledger_page_and_its_export_name_a_scan_the_catalogue_lacks(
    app: Flask, librarian: FlaskClient
) -> None:
    _, code = add_visit(app, "Dewi Lestari")
    send_scan(librarian, [PDF], ticket=code)
    ledger = page_text(librarian.get("/meja/buku-besar?saluran=scan"))
    assert TITLE in ledger and "tidak ada di katalog" in ledger and "Dewi Lestari" in ledger
    export = librarian.get("/meja/buku-besar.csv?saluran=scan").get_data(as_text=True)
    assert TITLE in export and "Dewi Lestari" in export


def test_tracing_the_copy_on_the_desk_names_the_scan(app: Flask, librarian: FlaskClient) -> None:
    _, code = add_visit(app, "Dewi Lestari")
    send_scan(librarian, [PDF], ticket=code)
    with app.extensions["pustaka"].uow() as uow:
        scan_id = uow.session.scalar(select(VisitorScan.id))
    copy = librarian.get(f"/meja/pindai/{scan_id}/salinan.pdf")
    data = copy.data
    copy.close()
    traced = librarian.post(
        "/meja/lacak",
        data={
            "csrf_token": csrf_token(librarian, "/meja/lacak"),
            "berkas": (io.BytesIO(data), "bocoran.pdf"),
        },
        content_type="multipart/form-data",
    )
    text = page_text(traced)
    assert traced.status_code == 200 and "Dewi Lestari" in text and TITLE in text
