"""/verifikasi: anyone holding a copy can check that its QR code is an authentic delivery."""

from __future__ import annotations

from flask import render_template

from library.ledger.verification import verify_copy
from webapp.current_runtime import current_runtime
from webapp.verification.blueprint import bp


@bp.get("/<delivery_id>/<signature>")
def verify(delivery_id: str, signature: str) -> tuple[str, int]:
    """Say whether the copy is authentic, and what it is, without revealing who got it."""
    rt = current_runtime()
    with rt.uow() as uow:
        verdict = verify_copy(uow, delivery_id, signature, rt.delivery_keys)
    zone, permalink = rt.timezone(), rt.links.persistent(verdict.publication_identifier)
    return render_template("verification/result.html", verdict=verdict, zone=zone, permalink=permalink), (
        200 if verdict.authentic else 404
    )
