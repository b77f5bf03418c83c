"""The words people see for the values of the domain's enums, marked for the translation catalogue.

One table per enum, keyed by its members, so a new member without words fails a test rather
than a page. The web app translates a label when it shows it (the `label` template filter).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from library.i18n import N_
from library.models.delivery import DeliveryChannel
from library.models.frontoffice import IdCardKind
from library.models.ingest import IngestStatus
from library.models.publication import AccessLevel
from library.models.softcopy import RequestScope, RequestStatus
from library.models.user import Role
from library.models.visitor_scan import ScanStatus

ACCESS_LEVELS: Mapping[AccessLevel, str] = {
    AccessLevel.OPEN: N_("Open"),
    AccessLevel.REGISTERED: N_("Registered users"),
    AccessLevel.RESTRICTED: N_("Restricted"),
    AccessLevel.EMBARGOED: N_("Embargoed"),
}

DELIVERY_CHANNELS: Mapping[DeliveryChannel, str] = {
    DeliveryChannel.ONLINE: N_("Online request"),
    DeliveryChannel.TERMINAL: N_("Library terminal"),
    DeliveryChannel.SCAN: N_("Scan for a visitor"),
    DeliveryChannel.STAFF: N_("Made by staff"),
}

ID_CARD_KINDS: Mapping[IdCardKind, str] = {
    IdCardKind.KTP: N_("KTP (identity card)"),
    IdCardKind.SIM: N_("SIM (driving licence)"),
    IdCardKind.PASSPORT: N_("Passport"),
    IdCardKind.STUDENT: N_("Student card"),
    IdCardKind.STAFF: N_("Employee card"),
    IdCardKind.OTHER: N_("Other card"),
}

INGEST_STATUSES: Mapping[IngestStatus, str] = {
    IngestStatus.QUEUED: N_("Queued"),
    IngestStatus.PROCESSING: N_("Processing"),
    IngestStatus.READY: N_("Ready"),
    IngestStatus.FAILED: N_("Failed"),
}

REQUEST_SCOPES: Mapping[RequestScope, str] = {
    RequestScope.WHOLE: N_("The whole publication"),
    RequestScope.PAGES: N_("Some pages only"),
}

REQUEST_STATUSES: Mapping[RequestStatus, str] = {
    RequestStatus.REVIEW: N_("Waiting for a librarian"),
    RequestStatus.EMBARGO: N_("Waiting for the release date"),
    RequestStatus.APPROVED: N_("Approved, copy being made"),
    RequestStatus.READY: N_("Ready to download"),
    RequestStatus.REFUSED: N_("Refused"),
    RequestStatus.FAILED: N_("Copy could not be made"),
}

ROLES: Mapping[Role, str] = {
    Role.READER: N_("Reader"),
    Role.FRONT_OFFICE: N_("Front office"),
    Role.LIBRARIAN: N_("Librarian"),
    Role.CONSULTANT: N_("Consultant"),
    Role.ADMIN: N_("Administrator"),
}

SCAN_STATUSES: Mapping[ScanStatus, str] = {
    ScanStatus.QUEUED: N_("Being stamped"),
    ScanStatus.READY: N_("Ready"),
    ScanStatus.FAILED: N_("Copy could not be made"),
}

# Each enum has its own table: members of two enums may share a value ("ready", "failed").
LABELS: Mapping[type[enum.Enum], Mapping[Any, str]] = {
    AccessLevel: ACCESS_LEVELS,
    DeliveryChannel: DELIVERY_CHANNELS,
    IdCardKind: ID_CARD_KINDS,
    IngestStatus: INGEST_STATUSES,
    RequestScope: REQUEST_SCOPES,
    RequestStatus: REQUEST_STATUSES,
    Role: ROLES,
    ScanStatus: SCAN_STATUSES,
}


def label(value: enum.Enum) -> str:
    """Return the words (not yet translated) for a member of a labelled enum."""
    return LABELS[type(value)][value]
