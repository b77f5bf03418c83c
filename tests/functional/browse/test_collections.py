"""Librarians make and fill collections at the desk; readers browse them, and see them on a publication."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from library.models import Collection, CollectionMember, Publication, PublicationChange, Role
from library.settings import Settings
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from webapp import create_app

DESK = "/meja/koleksi"
SERIES = "dalam-angka"  # the demo's series of the "... Dalam Angka" titles


@pytest.fixture
def librarian(app: Flask, client: FlaskClient) -> FlaskClient:
    sign_in(client, make_person(app, "wulan@bps.go.id", [Role.LIBRARIAN], name="Wulan Pustakawan"))
    return client


def ids_where(app: Flask, *conditions: object) -> list[int]:
    with app.extensions["pustaka"].uow() as uow:
        return list(uow.session.scalars(select(Publication.id).where(*conditions).order_by(Publication.id)))


def collection_id(app: Flask, slug: str) -> int | None:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(Collection.id).where(Collection.slug == slug))


def listed_ids(html: str) -> list[int]:
    """Return the publication ids of a page's cards, in order."""
    return [int(i) for i in re.findall(r'<li class="card">\s*<a href="/katalog/(\d+)"', html)]


def make(client: FlaskClient, **fields: str):  # noqa: ANN201 - a test response
    data = {"kind": "other", "slug": "", "name_id": "", "name_en": "", "description": "", "office": ""}
    return client.post(DESK, data={"csrf_token": csrf_token(client, DESK), **data, **fields})


def test_a_collection_made_and_filled_at_the_desk_is_browsed_newest_edition_first(
    app: Flask, librarian: FlaskClient
) -> None:
    made = make(
        librarian, slug="sensus-2020", name_id="Sensus Penduduk 2020", name_en="Population Census 2020"
    )
    assert made.status_code == 303
    page = made.headers["Location"]
    chosen = ids_where(app, Publication.title.like("%Metro%"))[:3]
    added = librarian.post(
        page + "/publikasi",
        data={
            "csrf_token": csrf_token(librarian, page),
            "publication": [str(chosen[0])],
            "numbers": f"{chosen[1]}, {chosen[2]}",
        },
    )
    assert added.status_code == 303
    html = librarian.get("/koleksi/sensus-2020").get_data(as_text=True)
    with app.extensions["pustaka"].uow() as uow:
        released = {
            p.id: (p.actual_release or p.scheduled_release, p.published_at, p.id)
            for p in uow.session.scalars(select(Publication).where(Publication.id.in_(chosen)))
        }
    assert listed_ids(html) == sorted(chosen, key=lambda i: released[i], reverse=True)
    assert "Sensus Penduduk 2020" in html
    assert '<link rel="alternate" type="application/atom+xml" href="/koleksi/sensus-2020/atom.xml"' in html
    english = app.test_client()
    english.get("/bahasa/en")
    assert "Population Census 2020" in english.get("/koleksi/").get_data(as_text=True)


def test_adding_and_removing_is_kept_in_each_publications_history_and_moves_its_datestamp(
    app: Flask, librarian: FlaskClient
) -> None:
    page = make(librarian, slug="pilihan", name_id="Pilihan Pustakawan").headers["Location"]
    target = ids_where(app, Publication.key == "metro-kesra-2023")[0]
    with app.extensions["pustaka"].uow() as uow:
        before = uow.session.get_one(Publication, target).updated_at
    librarian.post(
        page + "/publikasi", data={"csrf_token": csrf_token(librarian, page), "numbers": str(target)}
    )
    librarian.post(
        page + "/keluarkan", data={"csrf_token": csrf_token(librarian, page), "publication": str(target)}
    )
    with app.extensions["pustaka"].uow() as uow:
        changes = uow.session.scalars(
            select(PublicationChange)
            .where(PublicationChange.publication_id == target, PublicationChange.field == "collections")
            .order_by(PublicationChange.id)
        ).all()
        after = uow.session.get_one(Publication, target).updated_at
    assert [(c.old_value, c.new_value, c.changed_by_name) for c in changes] == [
        ("", "pilihan", "Wulan Pustakawan"),
        ("pilihan", "", "Wulan Pustakawan"),
    ]
    assert after > before


def test_a_publication_page_names_its_series_and_links_to_it(app: Flask, client: FlaskClient) -> None:
    metro = ids_where(app, Publication.key == "metro-dalam-angka-2024")[0]
    html = client.get(f"/katalog/{metro}").get_data(as_text=True)
    assert f'href="/koleksi/{SERIES}"' in html
    series = client.get(f"/koleksi/{SERIES}").get_data(as_text=True)
    assert metro in listed_ids(series)


def test_the_desk_makes_a_suggested_series_with_all_its_editions_in_one_step(
    app: Flask, librarian: FlaskClient
) -> None:
    with app.extensions["pustaka"].transaction() as uow:
        uow.session.execute(delete(Collection).where(Collection.slug == SERIES))
    overview = page_text(librarian.get(DESK))
    assert "Dalam Angka" in overview
    made = librarian.post(
        DESK + "/seri", data={"csrf_token": csrf_token(librarian, DESK), "name": "Dalam Angka"}
    )
    assert made.status_code == 303
    editions = ids_where(app, Publication.title.like("%Dalam Angka%"))
    with app.extensions["pustaka"].uow() as uow:
        members = set(
            uow.session.scalars(
                select(CollectionMember.publication_id).where(
                    CollectionMember.collection_id == collection_id(app, SERIES)
                )
            )
        )
    assert len(editions) >= 2 and members == set(editions)


def test_an_office_collection_holds_what_its_office_issued_and_takes_none_by_hand(
    app: Flask, librarian: FlaskClient
) -> None:
    made = make(
        librarian, kind="office", slug="bps-tuba", name_id="Publikasi BPS Tulang Bawang", office="1805"
    )
    assert made.status_code == 303
    html = librarian.get("/koleksi/bps-tuba").get_data(as_text=True)
    with app.extensions["pustaka"].uow() as uow:
        office_ids = set(
            uow.session.scalars(
                select(Publication.id).where(
                    Publication.public(), Publication.issuing_office.has(code="1805")
                )
            )
        )
    assert office_ids and set(listed_ids(html)) == office_ids
    page = made.headers["Location"]
    refused = librarian.post(
        page + "/publikasi", data={"csrf_token": csrf_token(librarian, page), "numbers": "1"}
    )
    assert refused.status_code == 400
    told = page_text(refused).lower()  # in English until the catalogue carries its translation
    assert "an office collection holds what its office issued" in told or "koleksi kantor berisi" in told


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"slug": "Bad Slug!", "name_id": "Seri"}, "slug"),
        ({"slug": SERIES, "name_id": "Seri"}, "slug"),  # the demo's series has it
        ({"slug": "seri-baru", "name_id": ""}, "name_id"),
        ({"slug": "kantor", "name_id": "Kantor", "kind": "office", "office": "9999"}, "office"),
    ],
)
def test_a_collection_the_desk_cannot_make_is_refused_on_its_field(
    app: Flask, librarian: FlaskClient, fields: dict[str, str], field: str
) -> None:
    refused = make(librarian, **fields)
    assert refused.status_code == 400
    assert f'id="{field}-error"' in refused.get_data(as_text=True)
    assert collection_id(app, "seri-baru") is None


def test_only_librarians_manage_collections_and_every_change_needs_the_form_token(
    app: Flask, client: FlaskClient, librarian: FlaskClient
) -> None:
    series = collection_id(app, SERIES)
    assert librarian.post(f"{DESK}/{series}/hapus", data={}).status_code == 400
    reader = app.test_client()
    sign_in(reader, make_person(app, "pembaca@example.org"))
    assert reader.get(DESK).status_code == 403
    assert (
        reader.post(f"{DESK}/{series}/hapus", data={"csrf_token": csrf_token(reader, "/")}).status_code == 403
    )
    assert collection_id(app, SERIES) == series


def test_deleting_a_collection_keeps_its_publications(app: Flask, librarian: FlaskClient) -> None:
    series = collection_id(app, SERIES)
    before = ids_where(app, Publication.title.like("%Dalam Angka%"))
    page = f"{DESK}/{series}"
    assert (
        librarian.post(page + "/hapus", data={"csrf_token": csrf_token(librarian, page)}).status_code == 303
    )
    assert collection_id(app, SERIES) is None
    assert ids_where(app, Publication.title.like("%Dalam Angka%")) == before
    assert librarian.get(f"/koleksi/{SERIES}").status_code == 404


def test_a_collection_page_is_paged(instance_dir) -> None:  # noqa: ANN001 - the fixture's path
    app = create_app(Settings.from_env({}, instance_dir=instance_dir, per_page=2))
    client = app.test_client()
    first = listed_ids(client.get(f"/koleksi/{SERIES}").get_data(as_text=True))
    second_html = client.get(f"/koleksi/{SERIES}?halaman=2").get_data(as_text=True)
    assert len(first) == 2 and 'rel="next"' in client.get(f"/koleksi/{SERIES}").get_data(as_text=True)
    assert not set(first) & set(listed_ids(second_html))
    app.extensions["pustaka"].close()


def test_a_publication_is_added_to_a_series_from_its_edit_page(app: Flask, librarian: FlaskClient) -> None:
    outside = ids_where(app, Publication.key == "metro-kesra-2023")[0]
    edit = f"/meja/publikasi/{outside}/ubah"
    html = librarian.get(edit).get_data(as_text=True)
    series = collection_id(app, SERIES)
    assert f'<option value="{series}">Dalam Angka</option>' in html
    added = librarian.post(
        f"/meja/publikasi/{outside}/koleksi",
        data={"csrf_token": csrf_token(librarian, edit), "collection": series},
    )
    assert added.status_code == 303 and added.headers["Location"].endswith(edit)
    assert f'href="/koleksi/{SERIES}"' in librarian.get(edit).get_data(as_text=True)
    assert outside in listed_ids(librarian.get(f"/koleksi/{SERIES}").get_data(as_text=True))


def test_taking_out_nothing_is_refused_and_changes_nothing(app: Flask, librarian: FlaskClient) -> None:
    page = f"{DESK}/{collection_id(app, SERIES)}"
    before = listed_ids(librarian.get(f"/koleksi/{SERIES}").get_data(as_text=True))
    refused = librarian.post(page + "/keluarkan", data={"csrf_token": csrf_token(librarian, page)})
    assert refused.status_code == 400
    assert listed_ids(librarian.get(f"/koleksi/{SERIES}").get_data(as_text=True)) == before
