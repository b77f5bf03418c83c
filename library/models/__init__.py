"""SQLAlchemy 2 typed models of Pustaka; every table arrives by an Alembic migration."""

from library.models.base import Base
from library.models.delivery import Delivery, DeliveryChannel
from library.models.files import FileAsset, FileOrigin, FileRole
from library.models.ingest import IngestChannel, IngestJob, IngestPage, IngestStatus, PageSource, PageText
from library.models.office import ComplaintChannel, Office, ServiceKind, ServiceStandard
from library.models.publication import AccessLevel, Holding, Publication
from library.models.ratelimit import RateLimitHit
from library.models.softcopy import (
    OPEN_STATUSES,
    Download,
    RequestEvent,
    RequestScope,
    RequestStatus,
    SoftcopyRequest,
)
from library.models.user import STAFF_ROLES, Role, User, UserRole

__all__ = [
    "AccessLevel",
    "Base",
    "ComplaintChannel",
    "Download",
    "Delivery",
    "DeliveryChannel",
    "FileAsset",
    "FileOrigin",
    "FileRole",
    "Holding",
    "IngestChannel",
    "IngestJob",
    "IngestPage",
    "IngestStatus",
    "OPEN_STATUSES",
    "Office",
    "PageSource",
    "PageText",
    "Publication",
    "RateLimitHit",
    "RequestEvent",
    "RequestScope",
    "RequestStatus",
    "Role",
    "STAFF_ROLES",
    "ServiceKind",
    "ServiceStandard",
    "SoftcopyRequest",
    "User",
    "UserRole",
]
