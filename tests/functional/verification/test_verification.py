"""Anyone can check a copy's QR code: authentic with title, date and initials, or not authentic."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from library.models import Publication
from library.tokens import delivery_key
from tests.functional.ledger_helpers import deliver
from watermark.marks.mark import sign


def deliver_one(app: Flask, instance_dir: Path) -> str:
    """Deliver the first publication and return the verification path its QR code carries."""
    record = deliver(app, "Ani Suryani", "ani@example.id")
    return f"/verifikasi/{record.delivery_id}/{sign(record.delivery_id, delivery_key(instance_dir))}"


def test_an_authentic_code_shows_title_date_and_initials_only(app: Flask, instance_dir: Path) -> None:
    path = deliver_one(app, instance_dir)
    response = app.test_client().get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Salinan asli" in page
    assert "A*** S***" in page
    assert "Ani Suryani" not in page and "ani@example.id" not in page


def test_an_authentic_copy_links_its_publication_s_persistent_address(app: Flask, instance_dir: Path) -> None:
    page = app.test_client().get(deliver_one(app, instance_dir)).get_data(as_text=True)
    with app.extensions["pustaka"].uow() as uow:
        identifiers = set(uow.session.scalars(select(Publication.identifier)))
    linked = re.findall(r'href="http://127.0.0.1:8000/id/([a-z0-9.-]+/[0-9]+)"', page)
    assert len(linked) == 1 and linked[0] in identifiers


def test_a_tampered_signature_is_not_authentic(app: Flask, instance_dir: Path) -> None:
    path = deliver_one(app, instance_dir)
    tampered = re.sub(
        r"/([0-9A-Z])([0-9A-Z]*)$", lambda m: "/" + ("0" if m.group(1) != "0" else "1") + m.group(2), path
    )
    response = app.test_client().get(tampered)
    assert response.status_code == 404
    assert "Bukan salinan asli" in response.get_data(as_text=True)


def test_a_well_signed_code_of_an_unknown_delivery_is_not_authentic(app: Flask, instance_dir: Path) -> None:
    response = app.test_client().get(
        f"/verifikasi/ABCDEFGHJKMN/{sign('ABCDEFGHJKMN', delivery_key(instance_dir))}"
    )
    assert response.status_code == 404
    assert "Bukan salinan asli" in response.get_data(as_text=True)
