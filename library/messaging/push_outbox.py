"""Web Push to a visit's browsers: subscribing on the status page, an outbox row per message, sending it.

A visitor subscribes on their own status page (the page's secret token is their right to); at
most MAX_PER_VISIT browsers per visit, a visit that has ended takes none. A message is written
in the teller's transaction, once per (subscription, kind, subject), and sent after it commits:
a push service that is slow or away never holds up a call. Unlike a text message it costs the
office nothing and reaches only the browser that asked, so no hourly cap applies.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from library.errors import InvalidField
from library.i18n import N_
from library.messaging.gateways import GatewayAway, GatewayRefused
from library.messaging.outbox import record_attempt
from library.messaging.webpush import BadSubscription, PushService, Subscription, SubscriptionGone
from library.models import MessageKind, MessageStatus, PushMessage, PushSubscription, Visit
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_PER_VISIT = 5  # browsers told of one visit: a phone, a tablet, a companion's phone
# How long a push service keeps a message for a browser that is offline: a call is stale in minutes.
TTL_SECONDS = {
    MessageKind.CALLED: 10 * 60,
    MessageKind.TWO_AHEAD: 15 * 60,
    MessageKind.SCAN_READY: 24 * 3600,
    MessageKind.SURVEY: 3 * 24 * 3600,
    MessageKind.ANSWERED: 3 * 24 * 3600,
}
NOT_A_SUBSCRIPTION = N_("This browser cannot be told here. Keep this page open instead.")
VISIT_ENDED = N_("Your visit has ended: there is nothing more to tell.")


@dataclass(frozen=True)
class PushPost:
    """What sending Web Push runs with."""

    session_factory: sessionmaker[Session]
    service: PushService
    now: Callable[[], dt.datetime]


def check_subscribe(
    uow: UnitOfWork,
    visit: Visit,
    subscription: Subscription,
    hosts: tuple[str, ...],
    language: str,
    now: dt.datetime,
) -> PushSubscription:
    """Keep a browser's subscription for a visit (kept once); refuse one the office cannot send to."""
    if visit.left_at is not None:
        raise InvalidField("subscription", VISIT_ENDED)
    try:
        subscription.checked(hosts)
    except BadSubscription:
        raise InvalidField("subscription", NOT_A_SUBSCRIPTION) from None
    kept = uow.session.scalar(
        select(PushSubscription).where(
            PushSubscription.visit_id == visit.id, PushSubscription.endpoint == subscription.endpoint
        )
    )
    if kept is not None:
        kept.p256dh, kept.auth, kept.language = subscription.p256dh, subscription.auth, language
        return kept
    held = uow.session.scalar(
        select(func.count(PushSubscription.id)).where(PushSubscription.visit_id == visit.id)
    )
    if (held or 0) >= MAX_PER_VISIT:
        oldest = uow.session.scalar(
            select(PushSubscription)
            .where(PushSubscription.visit_id == visit.id)
            .order_by(PushSubscription.id)
        )
        uow.session.delete(oldest)
    row = PushSubscription(
        visit_id=visit.id,
        endpoint=subscription.endpoint,
        p256dh=subscription.p256dh,
        auth=subscription.auth,
        language=language if language in ("id", "en") else "id",
        created_at=now,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def do_unsubscribe(uow: UnitOfWork, visit: Visit, endpoint: str) -> bool:
    """Forget a browser's subscription for a visit; return whether there was one."""
    row = uow.session.scalar(
        select(PushSubscription).where(
            PushSubscription.visit_id == visit.id, PushSubscription.endpoint == endpoint
        )
    )
    if row is not None:
        uow.session.delete(row)
    return row is not None


def subscriptions_of(uow: UnitOfWork, visit_id: int) -> list[PushSubscription]:
    """Return the browsers subscribed to a visit."""
    return list(
        uow.session.scalars(
            select(PushSubscription)
            .where(PushSubscription.visit_id == visit_id)
            .order_by(PushSubscription.id)
        )
    )


def tell_browsers(
    uow: UnitOfWork,
    visit: Visit,
    kind: MessageKind,
    subject: str,
    compose: Callable[[str], tuple[str, str]],
    url: str,
    now: dt.datetime,
) -> list[PushMessage]:
    """Write one message per browser subscribed to the visit; `compose` gives (title, text) in a language.

    Each language is composed once, and only for a browser that waits for it: a visit nobody
    subscribed costs one query.
    """
    written = []
    composed: dict[str, tuple[str, str]] = {}
    for subscription in subscriptions_of(uow, visit.id):
        language = subscription.language
        if language not in composed:
            composed[language] = compose(language)
        title, text = composed[language]
        row = PushMessage(
            subscription_id=subscription.id,
            kind=kind.value,
            subject=subject,
            title=title[:200],
            text=text,
            url=url[:500],
            status=MessageStatus.QUEUED.value,
            created_at=now,
        )
        try:
            with uow.session.begin_nested():  # told at once by another process: that one stands
                uow.session.add(row)
        except IntegrityError:
            continue
        written.append(row)
    return written


def send_push(post: PushPost, message_id: int) -> MessageStatus | None:
    """Send one queued push message and record what its push service answered; return its status.

    A push service that is away raises GatewayAway while tries are left, so the job is tried again;
    a subscription the service no longer knows is forgotten (with its messages).
    """
    with UnitOfWork(post.session_factory) as uow:
        row = uow.session.get(PushMessage, message_id)
        if row is None or row.status != MessageStatus.QUEUED.value:
            return None
        target = uow.session.get_one(PushSubscription, row.subscription_id)
        subscription = Subscription(target.endpoint, target.p256dh, target.auth)
        payload = {"title": row.title, "body": row.text, "url": row.url, "tag": f"{row.kind}-{row.subject}"}
        ttl = TTL_SECONDS[MessageKind(row.kind)]
    status, error = MessageStatus.SENT, ""
    try:
        post.service.send(subscription, payload, ttl, post.now())
    except SubscriptionGone:
        with UnitOfWork(post.session_factory) as uow:
            gone = uow.session.get(PushSubscription, target.id)
            if gone is not None:
                uow.session.delete(gone)
            uow.commit()
        log.info("Push subscription %s is gone (the browser left it): forgotten.", target.id)
        return MessageStatus.FAILED
    except GatewayRefused as refused:
        status, error = MessageStatus.FAILED, str(refused)
    except GatewayAway as away:
        status, error = MessageStatus.QUEUED, str(away)
    with UnitOfWork(post.session_factory) as uow:
        row = uow.session.get_one(PushMessage, message_id)
        status = record_attempt(row, status, error, post.now())
        uow.commit()
    if status == MessageStatus.SENT:
        log.info("Push message %s (%s) sent to subscription %s.", message_id, row.kind, target.id)
    else:
        log.warning("Push message %s not sent (%s): %s", message_id, status.value, error)
    if status == MessageStatus.QUEUED:
        raise GatewayAway(error)
    return status
