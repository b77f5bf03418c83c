"""The words people see for the values of the domain's enums, marked for the translation catalogue.

One table per enum, keyed by its members, so a new member without words fails a test rather
than a page. The web app translates a label when it shows it (the `label` template filter).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from library.i18n import N_
from library.models.collection import ItemAction, ItemStatus, StocktakeStatus
from library.models.complaint import ComplaintAction, ComplaintService, ComplaintSource, ComplaintStatus
from library.models.consultation import (
    AppointmentKind,
    AppointmentStatus,
    ConsultationAction,
    ConsultationChannel,
    ConsultationStatus,
    MessageDelivery,
    Referral,
)
from library.models.delivery import DeliveryChannel
from library.models.frontoffice import IdCardKind
from library.models.ingest import IngestStatus
from library.models.knowledge import KnowledgeStatus
from library.models.office import ServiceKind
from library.models.publication import AccessLevel
from library.models.softcopy import RequestScope, RequestStatus
from library.models.survey import SurveyChannel
from library.models.user import Role
from library.models.visitor_scan import ScanStatus

ACCESS_LEVELS: Mapping[AccessLevel, str] = {
    AccessLevel.OPEN: N_("Open"),
    AccessLevel.REGISTERED: N_("Registered users"),
    AccessLevel.RESTRICTED: N_("Restricted"),
    AccessLevel.EMBARGOED: N_("Embargoed"),
}

COMPLAINT_STATUSES: Mapping[ComplaintStatus, str] = {
    ComplaintStatus.NEW: N_("Received"),
    ComplaintStatus.IN_PROGRESS: N_("Being handled"),
    ComplaintStatus.ANSWERED: N_("Answered"),
    ComplaintStatus.CLOSED: N_("Closed"),
}

COMPLAINT_ACTIONS: Mapping[ComplaintAction, str] = {
    ComplaintAction.FILED: N_("Complaint received"),
    ComplaintAction.CLASSIFIED: N_("Classified"),
    ComplaintAction.STARTED: N_("Handling started"),
    ComplaintAction.ANSWERED: N_("Answer given"),
    ComplaintAction.CLOSED: N_("Closed"),
}

COMPLAINT_SOURCES: Mapping[ComplaintSource, str] = {
    ComplaintSource.WEB: N_("Website form"),
    ComplaintSource.BOX: N_("Complaint box at the PST"),
    ComplaintSource.EMAIL: N_("Email"),
    ComplaintSource.WHATSAPP: N_("WhatsApp"),
}

COMPLAINT_SERVICES: Mapping[ComplaintService, str] = {
    ComplaintService.LIBRARY: N_("Library"),
    ComplaintService.CONSULTATION: N_("Statistical consultation"),
    ComplaintService.SOFTCOPY: N_("Softcopy or online request"),
    ComplaintService.OTHER: N_("Other"),
}

CONSULTATION_STATUSES: Mapping[ConsultationStatus, str] = {
    ConsultationStatus.NEW: N_("New"),
    ConsultationStatus.CLARIFICATION: N_("Clarification needed"),
    ConsultationStatus.CLEAR: N_("Clear and complete"),
    ConsultationStatus.ANSWERED: N_("Answered"),
    ConsultationStatus.CLOSED: N_("Closed"),
}

CONSULTATION_ACTIONS: Mapping[ConsultationAction, str] = {
    ConsultationAction.OPENED: N_("Consultation opened"),
    ConsultationAction.ASSIGNED: N_("Assigned to a consultant"),
    ConsultationAction.ASKED: N_("Clarification asked for"),
    ConsultationAction.CLEAR: N_("Marked clear and complete"),
    ConsultationAction.ANSWERED: N_("Answered"),
    ConsultationAction.CLOSED: N_("Closed"),
    ConsultationAction.REMINDED: N_("The user was reminded to reply"),
    ConsultationAction.CLOSED_SILENT: N_("Closed automatically: no reply from the user"),
    ConsultationAction.REOPENED: N_("Reopened by the user"),
    ConsultationAction.APPOINTMENT: N_("Follow-up appointment proposed"),
    ConsultationAction.APPOINTMENT_ACCEPTED: N_("Appointment accepted"),
    ConsultationAction.ANOTHER_TIME: N_("Another time asked for"),
    ConsultationAction.CLOSED_BY_USER: N_("Closed by the user: the answer helped"),
    ConsultationAction.RECORDED: N_("Recorded by a consultant"),
}

APPOINTMENT_KINDS: Mapping[AppointmentKind, str] = {
    AppointmentKind.IN_PERSON: N_("In person"),
    AppointmentKind.VIDEO: N_("Video meeting"),
}

APPOINTMENT_STATUSES: Mapping[AppointmentStatus, str] = {
    AppointmentStatus.PROPOSED: N_("Proposed"),
    AppointmentStatus.ACCEPTED: N_("Accepted"),
    AppointmentStatus.ANOTHER_TIME: N_("Another time asked for"),
    AppointmentStatus.REPLACED: N_("Replaced"),
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

REFERRALS: Mapping[Referral, str] = {
    Referral.NONE: N_("No referral"),
    Referral.LIBRARY: N_("To the library"),
    Referral.SOFTCOPY: N_("To a softcopy request"),
    Referral.OTHER: N_("To another PST service"),
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
    Role.OFFICE_HEAD: N_("Office head"),
}

SCAN_STATUSES: Mapping[ScanStatus, str] = {
    ScanStatus.QUEUED: N_("Being stamped"),
    ScanStatus.READY: N_("Ready"),
    ScanStatus.FAILED: N_("Copy could not be made"),
}

KNOWLEDGE_STATUSES = {
    KnowledgeStatus.DRAFT: N_("Draft"),
    KnowledgeStatus.PUBLISHED: N_("Published"),
}
SERVICE_KINDS = {
    ServiceKind.LIBRARY: N_("Library"),
    ServiceKind.CONSULTATION: N_("Statistical consultation"),
}
SURVEY_CHANNELS = {
    SurveyChannel.VISIT: N_("Walk-in visit"),
    SurveyChannel.SOFTCOPY: N_("Online softcopy"),
    SurveyChannel.CONSULTATION: N_("Consultation"),
}
CONSULTATION_CHANNELS = {
    ConsultationChannel.WEB: N_("Pustaka website"),
    ConsultationChannel.EMAIL: N_("Email"),
    ConsultationChannel.WHATSAPP: N_("WhatsApp"),
    ConsultationChannel.PHONE: N_("Telephone"),
    ConsultationChannel.SOCIAL: N_("Social media"),
}
MESSAGE_DELIVERIES = {
    MessageDelivery.NONE: N_("Shown on the page"),
    MessageDelivery.QUEUED: N_("Waiting to be sent"),
    MessageDelivery.SENT: N_("Sent"),
    MessageDelivery.DELIVERED: N_("Delivered"),
    MessageDelivery.READ: N_("Read by the asker"),
    MessageDelivery.FAILED: N_("Not delivered"),
}
ITEM_STATUSES = {
    ItemStatus.SHELF: N_("On the shelf"),
    ItemStatus.READING_ROOM: N_("In the reading room"),
    ItemStatus.MISSING: N_("Missing"),
    ItemStatus.DAMAGED: N_("Damaged"),
    ItemStatus.WITHDRAWN: N_("Withdrawn"),
}
ITEM_ACTIONS = {
    ItemAction.CREATED: N_("Added to the collection"),
    ItemAction.STATUS: N_("Status set"),
    ItemAction.USED: N_("Read in the reading room"),
    ItemAction.SEEN: N_("Seen in a stock-taking"),
    ItemAction.STOCKTAKE: N_("Status set by a stock-taking"),
}
STOCKTAKE_STATUSES = {
    StocktakeStatus.OPEN: N_("Open"),
    StocktakeStatus.PAUSED: N_("Paused"),
    StocktakeStatus.CLOSED: N_("Closed"),
}
# Each enum has its own table: members of two enums may share a value ("ready", "failed").
LABELS: Mapping[type[enum.Enum], Mapping[Any, str]] = {
    AccessLevel: ACCESS_LEVELS,
    AppointmentKind: APPOINTMENT_KINDS,
    AppointmentStatus: APPOINTMENT_STATUSES,
    ComplaintAction: COMPLAINT_ACTIONS,
    ComplaintService: COMPLAINT_SERVICES,
    ComplaintSource: COMPLAINT_SOURCES,
    ComplaintStatus: COMPLAINT_STATUSES,
    ConsultationAction: CONSULTATION_ACTIONS,
    ConsultationChannel: CONSULTATION_CHANNELS,
    MessageDelivery: MESSAGE_DELIVERIES,
    ConsultationStatus: CONSULTATION_STATUSES,
    DeliveryChannel: DELIVERY_CHANNELS,
    IdCardKind: ID_CARD_KINDS,
    IngestStatus: INGEST_STATUSES,
    ItemAction: ITEM_ACTIONS,
    ItemStatus: ITEM_STATUSES,
    Referral: REFERRALS,
    KnowledgeStatus: KNOWLEDGE_STATUSES,
    RequestScope: REQUEST_SCOPES,
    RequestStatus: REQUEST_STATUSES,
    Role: ROLES,
    ScanStatus: SCAN_STATUSES,
    ServiceKind: SERVICE_KINDS,
    StocktakeStatus: STOCKTAKE_STATUSES,
    SurveyChannel: SURVEY_CHANNELS,
}


def label(value: enum.Enum) -> str:
    """Return the words (not yet translated) for a member of a labelled enum."""
    return LABELS[type(value)][value]
