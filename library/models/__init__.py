"""SQLAlchemy 2 typed models of Pustaka; every table arrives by an Alembic migration."""

from library.models.base import Base
from library.models.delivery import Delivery, DeliveryChannel
from library.models.files import FileAsset, FileOrigin, FileRole
from library.models.frontoffice import (
    OPEN_TICKET_STATUSES,
    IdCardKind,
    Locker,
    LockerLoan,
    QueueNumber,
    QueueService,
    Terminal,
    TerminalSession,
    Ticket,
    TicketStatus,
    Visit,
    VisitChannel,
)
from library.models.ingest import IngestChannel, IngestJob, IngestPage, IngestStatus, PageSource, PageText
from library.models.office import ComplaintChannel, Office, ServiceKind, ServiceStandard
from library.models.publication import AccessLevel, Holding, Publication, PublicationChange
from library.models.ratelimit import RateLimitHit
from library.models.reading_session import ReadingSession
from library.models.softcopy import (
    OPEN_STATUSES,
    Download,
    RequestEvent,
    RequestScope,
    RequestStatus,
    SoftcopyRequest,
)
from library.models.user import STAFF_ROLES, Role, User, UserRole
from library.models.visitor_scan import ScanChannel, ScanDownload, ScanStatus, VisitorScan

__all__ = [
    "AccessLevel",
    "Base",
    "ComplaintChannel",
    "Delivery",
    "DeliveryChannel",
    "Download",
    "FileAsset",
    "FileOrigin",
    "FileRole",
    "Holding",
    "IdCardKind",
    "IngestChannel",
    "IngestJob",
    "IngestPage",
    "IngestStatus",
    "Locker",
    "LockerLoan",
    "Office",
    "OPEN_STATUSES",
    "OPEN_TICKET_STATUSES",
    "PageSource",
    "PageText",
    "Publication",
    "PublicationChange",
    "QueueNumber",
    "QueueService",
    "RateLimitHit",
    "ReadingSession",
    "RequestEvent",
    "RequestScope",
    "RequestStatus",
    "Role",
    "ScanChannel",
    "ScanDownload",
    "ScanStatus",
    "ServiceKind",
    "ServiceStandard",
    "SoftcopyRequest",
    "STAFF_ROLES",
    "Terminal",
    "TerminalSession",
    "Ticket",
    "TicketStatus",
    "User",
    "UserRole",
    "Visit",
    "VisitChannel",
    "VisitorScan",
]
