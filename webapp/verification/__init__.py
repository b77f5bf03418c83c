"""/verifikasi: anyone holding a copy can check that its QR code is an authentic delivery."""

from __future__ import annotations

from flask import Blueprint, render_template

from library.ledger.verification import verify_copy
from runtime import links
from webapp.current_runtime import runtime

bp = Blueprint("verification", __name__, url_prefix=links.VERIFY_PREFIX)


@bp.get("/<delivery_id>/<signature>")
def verify(delivery_id: str, signature: str) -> tuple[str, int]:
    """Say whether the copy is authentic, and what it is, without revealing who got it."""
    app_state = runtime()
    with app_state.uow() as uow:
        verdict = verify_copy(uow, delivery_id, signature, app_state.delivery_keys)
    zone = app_state.timezone()
    return render_template("verification/result.html", verdict=verdict, zone=zone), (
        200 if verdict.authentic else 404
    )
