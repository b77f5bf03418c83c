"""Reading in the browser: stamped page pictures for those allowed, never the PDF, refusals explained."""

from __future__ import annotations

import io
import re

import pymupdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageChops
from sqlalchemy import select

from library.catalogue.page_quota import PageQuota
from library.catalogue.reading import READER_DPI
from library.models import Publication, Role
from tests.functional.accounts.helpers import make_person, page_text, sign_in

OPEN_KEY = "metro-direktori-pasar-2019"  # four scanned pages
RESTRICTED_KEY = "metro-keuangan-daerah-2023"
REGISTERED_KEY = "metro-kesra-2023"
EMBARGOED_KEY = "metro-survei-ekonomi-pertanian-2024"  # until 15 January 2027


@pytest.fixture(autouse=True)
def patient_renders(app: Flask) -> None:
    """Let a request wait as long as a render takes: these tests are about marks, not latency.

    On a busy machine a first render can pass the site's one-second wait and be answered 503
    (the browser's script asks again; the test client would not): that answer has its own test.
    """
    pictures = app.extensions["pustaka"].page_pictures
    pictures.wait = pictures.start_wait = 60.0


def id_of(app: Flask, key: str) -> int:
    """Return the id of the demo publication with this key."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Publication.id).where(Publication.key == key))
    assert found is not None, key
    return found


def signed_in(app: Flask, kind: str = "reader") -> FlaskClient:
    """Return a client signed in as a new person of a kind: reader, unverified, librarian."""
    client = app.test_client()
    roles = [Role.LIBRARIAN] if kind == "librarian" else [Role.READER]
    person = make_person(app, f"{kind}@example.id", roles, verified=kind != "unverified", name="Siti Aminah")
    assert sign_in(client, person).status_code == 303
    return client


def pdf_page(app: Flask, key: str, index: int) -> Image.Image:
    """Render a page of the publication's stored PDF with no mark at all, as the reader sizes it."""
    from library.ledger.deliveries import deliverable_file

    state = app.extensions["pustaka"]
    with state.uow() as uow:
        sha256 = deliverable_file(uow, id_of(app, key)).sha256
    with pymupdf.open(state.store.path_for(sha256)) as document:
        pixmap = document[index].get_pixmap(dpi=READER_DPI, alpha=False)
        return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def test_someone_signed_out_is_sent_to_sign_in_and_brought_back_to_the_page(app: Flask) -> None:
    publication = id_of(app, REGISTERED_KEY)
    response = app.test_client().get(f"/baca/{publication}?halaman=2")
    assert response.status_code == 302
    assert response.location.startswith("/masuk?next=")
    assert f"next=%2Fbaca%2F{publication}%3Fhalaman%3D2" in response.location


def test_someone_signed_out_gets_no_page_picture_of_a_publication_that_is_not_open(app: Flask) -> None:
    response = app.test_client().get(f"/baca/{id_of(app, REGISTERED_KEY)}/halaman/1.jpg")
    assert response.status_code == 403
    assert response.mimetype == "text/plain"
    assert not response.data.startswith(b"RIFF") and response.get_data(as_text=True).strip()


def test_the_reader_page_reserves_room_for_every_page_and_loads_them_lazily(app: Flask) -> None:
    publication = id_of(app, OPEN_KEY)
    html = signed_in(app).get(f"/baca/{publication}").get_data(as_text=True)
    figures = re.findall(r'<figure id="hal-(\d+)" data-page="\d+" class="reader-page">\s*<img ([^>]+)>', html)
    assert [int(n) for n, _ in figures] == [1, 2, 3, 4]
    for number, attributes in figures:
        assert re.search(rf'src="/baca/{publication}/halaman/{number}\.jpg\?sesi=[0-9A-Z]{{8}}"', attributes)
        assert 'loading="lazy"' in attributes and 'decoding="async"' in attributes
        assert 'width="910" height="1287"' in attributes  # A4 at the reader's resolution
        assert re.search(rf'alt="\w+ {number}"', attributes)  # "Halaman 2" once translated


def test_a_reader_gets_a_jpeg_page_with_the_mark_drawn_over_the_plain_page(app: Flask) -> None:
    response = signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}/halaman/2.jpg")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    picture = Image.open(io.BytesIO(response.data))
    assert picture.format == "JPEG"
    plain = pdf_page(app, OPEN_KEY, 1)
    assert picture.size == plain.size
    difference = ImageChops.difference(picture.convert("L"), plain.convert("L"))
    difference = difference.point(lambda v: 255 if v > 60 else 0)  # above JPEG's own noise
    width, height = picture.size
    # The footer band: in the lowest blank strip, above the page's own running footer.
    assert difference.crop((0, int(height * 0.75), width, height)).getbbox() is not None


def darkened_share(marked: Image.Image, plain: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Return the share of 8x8 blocks in `box` that `marked` shows darker than `plain`.

    Averaging blocks hides what JPEG does around letters; the faint mark is broad, so it stays.
    """
    before, after = (p.convert("L").crop(box).reduce(8) for p in (plain, marked))
    darker = ImageChops.subtract(before, after)
    return darker.point(lambda v: 255 if v >= 4 else 0).histogram()[255] / (darker.width * darker.height)


def ready(client: FlaskClient, url: str):
    """Get a page picture, asking again while it is still rendering (503), as the reader's page does."""
    for _ in range(60):
        response = client.get(url)
        if response.status_code != 503:
            return response
    raise AssertionError(f"{url} is still not ready")


def test_every_page_carries_the_readers_mark_and_two_readers_share_one_render_per_page(app: Flask) -> None:
    publication = id_of(app, OPEN_KEY)
    cache = app.extensions["pustaka"].page_pictures.cache
    first, second = signed_in(app), signed_in(app, "librarian")
    for number in range(1, 5):
        plain = pdf_page(app, OPEN_KEY, number - 1)
        mine = Image.open(io.BytesIO(ready(first, f"/baca/{publication}/halaman/{number}.jpg").data))
        theirs = Image.open(io.BytesIO(ready(second, f"/baca/{publication}/halaman/{number}.jpg").data))
        width, height = plain.size
        # The footer band: in the lowest blank strip of the page, or in a band added below it.
        paper = Image.new("RGB", mine.size, "white")
        paper.paste(plain, (0, 0))
        box = (0, int(height * 0.75), width, mine.height)
        new_ink = ImageChops.multiply(  # dark in the picture where the page was paper: the band's text
            mine.convert("L").crop(box).point(lambda v: 255 if v < 110 else 0),
            paper.convert("L").crop(box).point(lambda v: 255 if v > 200 else 0),
        )
        assert new_ink.histogram()[255] > 400
        assert darkened_share(mine, plain, (0, 0, width, height // 2)) > 0.02  # diagonal copies
        assert ImageChops.difference(mine.convert("L"), theirs.convert("L")).getbbox() is not None
    # One render per page, kept for both readers: each page read has its one file (the pages
    # after the last one read may be rendered ahead meanwhile, when a render worker is free).
    kept = sorted(int(path.stem.rsplit("-", 1)[1]) for path in cache.folder.rglob("*.page"))
    assert kept[:4] == [1, 2, 3, 4] and len(kept) == len(set(kept))


def test_a_page_still_being_drawn_is_answered_503_and_asked_again(app: Flask) -> None:
    pictures = app.extensions["pustaka"].page_pictures
    pictures.wait = pictures.start_wait = 0  # no request waits for the render here
    client, publication = signed_in(app), id_of(app, OPEN_KEY)
    response = client.get(f"/baca/{publication}/halaman/3.jpg")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.get_data(as_text=True) == "Halaman ini masih disiapkan: sebentar lagi akan tampil."
    pictures.wait = pictures.start_wait = 30.0
    assert client.get(f"/baca/{publication}/halaman/3.jpg").status_code == 200
    assert 'src="/static/reader.js' in client.get(f"/baca/{publication}").get_data(as_text=True)


def test_a_page_picture_is_private_inline_and_not_sniffed(app: Flask) -> None:
    response = signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}/halaman/1.jpg")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == 'inline; filename="halaman-1.jpg"'


def test_nothing_the_reader_loads_is_the_pdf_or_points_at_it(app: Flask) -> None:
    client = signed_in(app)
    publication = id_of(app, OPEN_KEY)
    page = client.get(f"/baca/{publication}")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.get_data(as_text=True))
    responses = [page, *(client.get(s) for s in sources if s.startswith(f"/baca/{publication}/"))]
    assert len(responses) == 10  # the reader, 4 pages, 1 sheet of thumbnails, 4 page texts
    for response in responses:
        assert response.mimetype != "application/pdf"
        assert not response.data.startswith(b"%PDF")
    assert not any(s.endswith(".pdf") or "/files/" in s for s in sources)


def test_a_page_past_the_end_is_not_found_with_an_indonesian_message(app: Flask) -> None:
    response = signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}/halaman/5.jpg")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "Tidak ada halaman 5: halaman publikasi ini 1 sampai 4."


def test_going_to_a_page_past_the_end_keeps_the_reader_open_and_says_why(app: Flask) -> None:
    response = signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}?halaman=9")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and 'id="hal-4"' in html
    assert "Tidak ada halaman 9: halaman publikasi ini 1 sampai 4." in page_text(response)


def test_going_to_a_page_lands_on_its_anchor(app: Flask) -> None:
    publication = id_of(app, OPEN_KEY)
    response = signed_in(app).get(f"/baca/{publication}?halaman=3")
    assert response.status_code == 302
    assert re.fullmatch(rf"/baca/{publication}\?sesi=[0-9A-Z]{{8}}#hal-3", response.location)


def test_a_restricted_publication_is_refused_to_a_reader_who_is_told_to_ask_for_a_softcopy(
    app: Flask,
) -> None:
    client = signed_in(app)
    publication = id_of(app, RESTRICTED_KEY)
    page = client.get(f"/baca/{publication}")
    picture = client.get(f"/baca/{publication}/halaman/1.jpg")
    assert page.status_code == picture.status_code == 403
    assert "softcopy" in page_text(page)
    assert f'href="/katalog/{publication}"' in page.get_data(as_text=True)
    assert picture.mimetype == "text/plain"


def test_a_librarian_reads_a_restricted_publication(app: Flask) -> None:
    client = signed_in(app, "librarian")
    publication = id_of(app, RESTRICTED_KEY)
    assert client.get(f"/baca/{publication}").status_code == 200
    picture = client.get(f"/baca/{publication}/halaman/1.jpg")
    assert picture.status_code == 200
    assert Image.open(io.BytesIO(picture.data)).format == "JPEG"


@pytest.mark.parametrize(("kind", "status"), [("unverified", 403), ("reader", 200)])
def test_a_publication_for_registered_users_needs_a_verified_email(
    app: Flask, kind: str, status: int
) -> None:
    response = signed_in(app, kind).get(f"/baca/{id_of(app, REGISTERED_KEY)}/halaman/1.jpg")
    assert response.status_code == status


def test_an_embargoed_publication_is_refused_until_the_date_it_names(app: Flask) -> None:
    response = signed_in(app).get(f"/baca/{id_of(app, EMBARGOED_KEY)}")
    assert response.status_code == 403
    assert "15 Januari 2027" in page_text(response)


def test_an_unknown_publication_is_not_found(app: Flask) -> None:
    assert signed_in(app).get("/baca/999999/halaman/1.jpg").status_code == 404


def test_the_publication_page_offers_a_read_button_to_someone_allowed(app: Flask) -> None:
    publication = id_of(app, OPEN_KEY)
    html = signed_in(app).get(f"/katalog/{publication}").get_data(as_text=True)
    assert re.search(rf'<div class="actions">\s*<a class="button" href="/baca/{publication}">', html)
    assert 'id="read-note"' not in html


def test_the_publication_page_explains_why_a_restricted_item_cannot_be_read(app: Flask) -> None:
    publication = id_of(app, RESTRICTED_KEY)
    response = signed_in(app).get(f"/katalog/{publication}")
    assert f'href="/baca/{publication}"' not in response.get_data(as_text=True)
    assert "softcopy" in page_text(response)


def test_the_publication_page_asks_someone_signed_out_to_sign_in_to_read(app: Flask) -> None:
    publication = id_of(app, REGISTERED_KEY)
    html = app.test_client().get(f"/katalog/{publication}").get_data(as_text=True)
    assert f'href="/baca/{publication}" aria-describedby="read-note">' in html
    assert 'id="read-note"' in html


def rendered_pages(app: Flask, key: str) -> set[int]:
    """Return the page numbers of a publication whose plain render is in the reader's cache."""
    pictures = app.extensions["pustaka"].page_pictures
    for future in list(pictures._rendering.values()):
        future.exception(timeout=60)  # let renders under way land
    with app.extensions["pustaka"].uow() as uow:
        from library.ledger.deliveries import deliverable_file

        sha256 = deliverable_file(uow, id_of(app, key)).sha256
    return {n for n in range(1, 5) if pictures.cache.path_for(sha256, n - 1, READER_DPI).exists()}


# The site has two render workers: the page opened at, and the next one on the free worker.
@pytest.mark.parametrize(
    ("address", "expected"), [("", {1, 2}), ("?halaman=3", {3, 4}), ("?halaman=9", set())]
)
def test_opening_the_reader_starts_rendering_the_pages_it_opens_at(
    app: Flask, address: str, expected: set[int]
) -> None:
    signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}{address}")
    assert rendered_pages(app, OPEN_KEY) == expected


def test_reading_a_page_renders_the_next_one_before_the_reader_asks(app: Flask) -> None:
    publication = id_of(app, OPEN_KEY)
    signed_in(app).get(f"/baca/{publication}/halaman/3.jpg")
    assert rendered_pages(app, OPEN_KEY) == {3, 4}


def test_a_reader_taking_pages_faster_than_their_quota_is_asked_to_wait(app: Flask) -> None:
    app.extensions["pustaka"].page_quota = PageQuota(per_minute=2, burst=2)
    fast, other = signed_in(app), signed_in(app, "librarian")
    publication = id_of(app, OPEN_KEY)
    for page in (1, 2):
        assert ready(fast, f"/baca/{publication}/halaman/{page}.jpg").status_code == 200
    refused = fast.get(f"/baca/{publication}/halaman/3.jpg", headers={"Accept-Language": "id"})
    assert refused.status_code == 429 and refused.mimetype == "text/plain"
    assert 1 <= int(refused.headers["Retry-After"]) <= 30
    assert "lebih cepat" in refused.get_data(as_text=True)
    assert ready(other, f"/baca/{publication}/halaman/3.jpg").status_code == 200  # a quota of one's own


def test_readers_signed_out_share_their_address_page_quota_and_opening_the_reader_takes_from_it(
    app: Flask,
) -> None:
    app.extensions["pustaka"].page_quota = PageQuota(per_minute=2, burst=2)
    publication = id_of(app, OPEN_KEY)
    one, other_tab, elsewhere = app.test_client(), app.test_client(), app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert one.get(f"/baca/{publication}").status_code == 200
    assert ready(one, f"/baca/{publication}/halaman/1.jpg").status_code == 200
    refused = other_tab.get(f"/baca/{publication}/halaman/2.jpg")  # a second browser at the same address
    assert refused.status_code == 429 and refused.mimetype == "text/plain"
    opening = other_tab.get(f"/baca/{publication}", headers={"Accept-Language": "id"})
    assert opening.status_code == 429 and "Retry-After" in opening.headers
    assert ready(elsewhere, f"/baca/{publication}/halaman/2.jpg").status_code == 200


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        (OPEN_KEY, "Terbuka: dapat dibaca siapa saja di sini, masuk atau tidak; salinan (softcopy) perlu"),
        (REGISTERED_KEY, "Pengguna terdaftar: dapat dibaca di sini dengan akun yang emailnya terverifikasi"),
        (RESTRICTED_KEY, "Terbatas: tidak dapat dibaca daring; salinan (softcopy) dapat diminta"),
    ],
)
def test_the_publication_page_says_what_its_access_level_allows(app: Flask, key: str, rule: str) -> None:
    response = app.test_client().get(f"/katalog/{id_of(app, key)}", headers={"Accept-Language": "id"})
    assert rule in page_text(response)


def test_someone_signed_out_is_offered_to_read_and_search_an_open_publication_without_a_sign_in_note(
    app: Flask,
) -> None:
    publication = id_of(app, OPEN_KEY)
    html = app.test_client().get(f"/katalog/{publication}").get_data(as_text=True)
    assert f'<a class="button" href="/baca/{publication}">' in html and 'id="read-note"' not in html
    assert f'action="/cari/dalam/{publication}"' in html
