"""What each use case takes, built from the runtime's parts: rules, posts, workers.

`Runtime` (runtime.root) inherits these factories; each asks the runtime only for the parts
`RuntimeParts` names (settings, links, mailer, keys, the database's session factory, the job
queue, the office's calendar and clock), so this module never imports the runtime back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.orm import Session, sessionmaker

from ingest.limits import Limits
from library.accounts.first_password import PasswordLinks
from library.accounts.mail import Links
from library.accounts.mail_job import AccountPost
from library.accounts.ratelimit import Throttle
from library.accounts.registration import AccountServices
from library.consultation.by_email import email_sender
from library.consultation.outside import OutsideSender
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.consultation.whatsapp_answers import WhatsAppSender
from library.consultation.whatsapp_channel import WhatsAppDesk
from library.filestore import FileStore
from library.frontoffice.appointments import SlotRules
from library.frontoffice.queue.priority import PriorityPolicy, priority_policy
from library.job_queue import JobQueue
from library.mail import Mailer
from library.messaging.gateways import Gateway, HttpGateway, WhatsAppCloud
from library.messaging.outbox import PhonePost
from library.messaging.push_outbox import PushPost
from library.messaging.webpush import PushService, office_key, public_key
from library.messaging.whatsapp_api import CloudApi
from library.models import ConsultationChannel
from library.quality.complaints.mail import ComplaintMailPost
from library.quality.complaints.records import ComplaintGuard
from library.quality.visit_mail import SurveyPost
from library.settings import Settings
from library.settings.checks import whatsapp_templates
from library.settings.visitors import host_list, opening_hours
from library.softcopy.alerts import DeskAlerts
from library.softcopy.request_checks import RequestRules
from library.tokens import secret_in
from library.working_days import Calendar
from runtime.links import PublicLinks

if TYPE_CHECKING:
    from library.frontoffice.scans.copies import ScanWorker
    from library.intake.ingest_job import IngestWorker
    from library.softcopy.copies import CopyWorker
    from runtime.lanes import Jobs


class RuntimeParts(Protocol):
    """The parts of a runtime the factories build from."""

    settings: Settings
    links: PublicLinks
    now: Callable[[], dt.datetime]

    @property
    def session_factory(self) -> sessionmaker[Session]: ...
    @property
    def store(self) -> FileStore: ...
    @property
    def mailer(self) -> Mailer: ...
    @property
    def secret_key(self) -> bytes: ...
    @property
    def session_keys(self) -> tuple[bytes, ...]: ...
    @property
    def delivery_key(self) -> bytes: ...
    @property
    def throttle(self) -> Throttle: ...
    @property
    def ingest_limits(self) -> Limits: ...
    @property
    def jobs(self) -> Jobs: ...
    def timezone(self) -> str: ...
    def calendar(self) -> Calendar: ...
    def password_links(self) -> PasswordLinks: ...


class UseCaseFactories:
    """Build the settings bundles and workers each use case and job takes."""

    def request_rules(self: RuntimeParts) -> RequestRules:
        """Return the office's softcopy request settings."""
        s = self.settings
        return RequestRules(
            daily_quota=s.request_daily_quota,
            monthly_quota=s.request_monthly_quota,
            sla_working_days=s.request_sla_working_days,
            link_days=s.download_link_days,
            download_cap=s.download_cap,
            calendar=self.calendar(),
            office_code=s.office,
        )

    def consultation_rules(self: RuntimeParts) -> ConsultationRules:
        """Return the office's consultation settings: its code and its working-day calendar."""
        return ConsultationRules(
            office_code=self.settings.office,
            calendar=self.calendar(),
            reopen_days=self.settings.consultation_reopen_days,
        )

    def whatsapp_api(self: RuntimeParts) -> CloudApi:
        """Return the office's number on WhatsApp's Cloud API (PUSTAKA_WHATSAPP_*)."""
        s = self.settings
        return CloudApi(s.whatsapp_api_url, s.whatsapp_phone_number_id, s.whatsapp_token)

    def whatsapp_desk(self: RuntimeParts) -> WhatsAppDesk:
        """Return what taking WhatsApp's messages as consultations needs, with the job fetching files."""
        return WhatsAppDesk(
            UseCaseFactories.consultation_rules(self),
            UseCaseFactories.consultation_post(self),
            lambda wamid, media: self.jobs.whatsapp_media(
                wamid, media.media_id, media.kind, media.mime_type, media.filename
            ),
        )

    def consultation_post(self: RuntimeParts) -> ConsultationPost:
        """Return how consultation use cases email the other side, with links from the public base URL."""
        return ConsultationPost(
            mailer=self.mailer,
            user_page=self.links.consultation_page,
            desk_page=self.links.desk_consultation_page,
            survey_page=self.links.survey,
            answered_news=self.jobs.consultation_answered if self.settings.phone_channel else None,
            new_consultation=self.jobs.alert_consultants,
            outside_news=self.jobs.consultation_outside,
        )

    def outside_senders(self: RuntimeParts) -> dict[str, OutsideSender]:
        """Return how each outside channel the office reads sends a consultation's messages back."""
        s = self.settings
        senders: dict[str, OutsideSender] = {
            ConsultationChannel.EMAIL.value: email_sender(s, self.mailer, self.store)
        }
        if s.whatsapp_consultations:
            senders[ConsultationChannel.WHATSAPP.value] = WhatsAppSender(
                UseCaseFactories.whatsapp_api(self),
                whatsapp_templates(s.whatsapp_templates)["reply"],
                now=lambda: self.now(),  # the process's clock, which tests move
            )
        return senders

    def account_services(self: RuntimeParts) -> AccountServices:
        """Return what the account use cases need; their emails go to the job queue."""
        return AccountServices(secret=self.session_keys, queue=self.jobs, throttle=self.throttle)

    def complaint_mail_post(self: RuntimeParts) -> ComplaintMailPost:
        """Return what the job emailing people about their complaints runs with."""
        return ComplaintMailPost(
            session_factory=self.session_factory,
            mailer=self.mailer,
            status_page=self.links.complaint_status,
            timezone=self.timezone(),
        )

    def complaint_guard(self: RuntimeParts, client: str) -> ComplaintGuard:
        """Return what holds back a flood of complaints from one client address."""
        return ComplaintGuard(self.throttle, client)

    def account_post(self: RuntimeParts) -> AccountPost:
        """Return what the job sending account emails runs with, with links from the public base URL."""
        links = Links(
            verify_email=self.links.verify_email,
            reset_password=self.links.reset_password,
            sign_in=self.links.url("accounts.login"),
            forgot_password=self.links.url("accounts.forgot_password"),
        )
        return AccountPost(
            session_factory=self.session_factory,
            mailer=self.mailer,
            secret=self.secret_key,
            links=links,
            timezone=self.timezone(),
            now=lambda: self.now(),  # the process's clock, which tests move
        )

    def phone_post(self: RuntimeParts) -> PhonePost:
        """Return what telling visitors on their phone runs with (no gateway: nothing is told)."""
        s = self.settings
        return PhonePost(
            session_factory=self.session_factory,
            gateway=phone_gateway(s),
            now=lambda: self.now(),
            max_per_hour=s.phone_max_per_hour,
            texts=Path(s.message_texts_dir) if s.message_texts_dir else s.instance_path / "messages",
            survey_link=self.links.survey,
            status_link=self.links.visit_status,
            push=s.web_push,
        )

    def push_post(self: RuntimeParts) -> PushPost | None:
        """Return what sending Web Push runs with (None: the office does not offer it)."""
        s = self.settings
        if not s.web_push:
            return None
        service = PushService(web_push_key(s), web_push_contact(s), host_list(s.web_push_hosts))
        return PushPost(session_factory=self.session_factory, service=service, now=lambda: self.now())

    def web_push_public_key(self: RuntimeParts) -> str:
        """Return the office's VAPID public key, as a browser subscribes with it (applicationServerKey)."""
        return public_key(web_push_key(self.settings))

    def priority_policy(self: RuntimeParts) -> PriorityPolicy:
        """Return the office's priority groups and the limits that keep regular visitors moving."""
        s = self.settings
        return priority_policy(s.priority_codes, s.priority_streak, s.priority_margin_minutes)

    def slot_rules(self: RuntimeParts) -> SlotRules:
        """Return the office's appointment settings (PUSTAKA_APPOINTMENT_*)."""
        s = self.settings
        return SlotRules(
            services=tuple(code.strip() for code in s.appointment_services.split(",") if code.strip()),
            hours=opening_hours(s.appointment_hours),
            slot_minutes=s.appointment_slot_minutes,
            capacity=s.appointment_capacity,
            days_ahead=s.appointment_days_ahead,
            grace=dt.timedelta(minutes=s.appointment_grace_minutes),
        )

    def survey_post(self: RuntimeParts) -> SurveyPost:
        """Return what the job emailing a walk-in visitor's survey link runs with."""
        return SurveyPost(
            session_factory=self.session_factory,
            mailer=self.mailer,
            survey_link=self.links.survey,
            now=lambda: self.now(),  # the process's clock, which tests move
        )

    def password_links(self: RuntimeParts) -> PasswordLinks:
        """Return how an email offers an account without a password a link to set one."""
        return PasswordLinks(secret=self.secret_key, page=self.links.reset_password)

    def copy_worker(self: RuntimeParts) -> CopyWorker:
        """Return what a copy-making job runs with in this process."""
        from library.softcopy.copies import CopyWorker  # loads pikepdf and the watermark engine

        s = self.settings
        return CopyWorker(
            session_factory=self.session_factory,
            store=self.store,
            mailer=self.mailer,
            secret=self.delivery_key,
            verify_base_url=self.links.verify_base,
            request_link=self.links.request_page,
            survey_link=self.links.survey,
            password_links=self.password_links(),
            link_days=s.download_link_days,
            timezone=self.timezone(),
            lease=dt.timedelta(seconds=s.job_lease_seconds),
            now=lambda: self.now(),  # the process's clock, which tests move
        )

    def desk_alerts(self: RuntimeParts) -> DeskAlerts:
        """Return what the job telling librarians of a waiting request runs with."""
        return DeskAlerts(
            session_factory=self.session_factory,
            mailer=self.mailer,
            desk_link=self.links.desk_request_page,
            timezone=self.timezone(),
        )

    def scan_worker(self: RuntimeParts) -> ScanWorker:
        """Return what the job stamping a visitor's scan runs with in this process."""
        from library.frontoffice.scans.copies import ScanWorker

        s = self.settings
        return ScanWorker(
            session_factory=self.session_factory,
            store=self.store,
            mailer=self.mailer,
            secret=self.delivery_key,
            verify_base_url=self.links.verify_base,
            my_requests_link=self.links.my_requests(),
            password_links=self.password_links(),
            survey_mail=self.jobs,
            limits=self.ingest_limits,
            link_days=s.download_link_days,
            timezone=self.timezone(),
            lease=dt.timedelta(seconds=s.job_lease_seconds),
            now=lambda: self.now(),  # the process's clock, which a simulated day moves
        )

    def ingest_worker(self: RuntimeParts, queue: JobQueue | None = None) -> IngestWorker:
        """Return what an ingest job runs with in this process (sending work to `queue`)."""
        from library.intake.ingest_job import IngestWorker

        s = self.settings
        return IngestWorker(
            session_factory=self.session_factory,
            store=self.store,
            queue=queue if queue is not None else self.jobs,
            limits=self.ingest_limits,
            office_code=s.office,
            now=lambda: self.now(),  # the process's clock, which tests move
            ocr_languages=s.ocr_languages,
            ocr_dpi=s.ocr_dpi,
            ocr_processes=s.effective_ocr_processes,
            lease=dt.timedelta(seconds=s.job_lease_seconds),
        )


def web_push_key(settings: Settings) -> ec.EllipticCurvePrivateKey:
    """Return the office's VAPID key, from secrets/web_push_key (made on first use, kept in backups)."""
    return office_key(secret_in(settings.secrets_path, "web_push_key"))


def web_push_contact(settings: Settings) -> str:
    """Return how push services reach the office: PUSTAKA_WEB_PUSH_CONTACT, else its sender's address."""
    return settings.web_push_contact or "mailto:" + settings.mail_from


def phone_gateway(settings: Settings) -> Gateway | None:
    """Return the gateway to visitors' phones the settings name (None: the office tells no phones)."""
    if settings.phone_channel == "gateway":
        return HttpGateway(settings.phone_gateway_url, settings.phone_gateway_token)
    if settings.phone_channel == "whatsapp":
        return WhatsAppCloud(
            settings.whatsapp_api_url,
            settings.whatsapp_phone_number_id,
            settings.whatsapp_token,
            whatsapp_templates(settings.whatsapp_templates),
        )
    return None
