"""The delivery ledger: one append-only row for every stamped copy that left the library."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base, UTCDateTime, enum_values, utcnow


class DeliveryChannel(enum.StrEnum):
    """How a stamped copy reached its recipient."""

    ONLINE = "online"  # downloaded after an online request
    TERMINAL = "terminal"  # read or received at a library terminal
    SCAN = "scan"  # printed pages scanned by staff for a visitor
    STAFF = "staff"  # produced by staff with `pustaka deliver`


class LinkState(enum.StrEnum):
    """Whether a ready copy's download link can be used, and if not, why."""

    OK = "ok"
    EXPIRED = "expired"  # past its expiry
    SPENT = "spent"  # downloaded as often as allowed


# A download asked for again by the same person this soon after one that was counted is the same
# download: a send that failed (the proxy, the network, a browser that gave up) costs nothing.
SAME_DOWNLOAD = dt.timedelta(minutes=10)


def link_state(
    expires_at: dt.datetime | None,
    downloads: int,
    cap: int,
    now: dt.datetime,
    last_download: dt.datetime | None = None,
) -> LinkState:
    """Say whether a ready copy's link can be used now (the last counted download may be tried again)."""
    if expires_at is not None and now >= expires_at:
        return LinkState.EXPIRED
    if downloads >= cap and not retrying(last_download, now):
        return LinkState.SPENT
    return LinkState.OK


def retrying(last_download: dt.datetime | None, now: dt.datetime) -> bool:
    """Tell whether a download now repeats the one counted at `last_download` (see SAME_DOWNLOAD)."""
    return last_download is not None and now - last_download < SAME_DOWNLOAD


class Delivery(Base):
    """Who received which file, when, from where, for which request, and its mark.

    Rows are never updated or deleted: the migration installs database triggers
    that refuse both, so the ledger stays evidence.
    """

    __tablename__ = "delivery"
    __table_args__ = (
        CheckConstraint(f"channel IN ({enum_values(DeliveryChannel)})", name="channel"),
        # A copy of something the catalogue does not hold (a visitor's scan) is named by its title.
        CheckConstraint("publication_id IS NOT NULL OR title <> ''", name="publication_or_title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(32), unique=True)
    # None only for pages scanned for a visitor from a printed publication not in the catalogue.
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publication.id"), index=True)
    # The title of what was delivered, as it was then ("" in rows older than migration 0010).
    title: Mapped[str] = mapped_column(String(500), default="", server_default="")
    source_sha256: Mapped[str] = mapped_column(String(64))
    output_sha256: Mapped[str] = mapped_column(String(64), index=True)
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_email: Mapped[str] = mapped_column(String(254), default="")
    request_number: Mapped[str] = mapped_column(String(40), default="")
    channel: Mapped[str] = mapped_column(String(20))
    client_address: Mapped[str] = mapped_column(String(64), default="")
    office_code: Mapped[str] = mapped_column(String(4))
    pages: Mapped[int]
    # The pages of the source this copy holds, written short ("2-3, 7"; "" in rows older than 0011).
    page_ranges: Mapped[str] = mapped_column(String(200), default="", server_default="")
    delivered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    delivered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The walk-in visit the copy was made for (terminal request or staff scan); None otherwise.
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    # The file version of the publication the copy was stamped from (None in rows older than
    # migration 0046, read from `source_sha256` instead, and for a visitor's scan).
    file_version: Mapped[int | None]
