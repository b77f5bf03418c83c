"""The appointments section: slots booked online per service, used at the kiosk, cancelled, missed.

Counted by the slot's day within the period. A booking still not used once its day has passed is a
no-show (today's are not counted yet: their slot may be still to come).
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from library.i18n import N_
from library.models import Booking, BookingStatus, QueueService
from library.reports.scope import Scope
from library.reports.tables import Cell, Column, Kind, Label, Section, Table
from library.uow import UnitOfWork

COLUMNS = (
    Column("service", N_("Service"), Kind.LABEL),
    Column("booked", N_("Booked"), Kind.COUNT),
    Column("arrived", N_("Came (code used)"), Kind.COUNT),
    Column("no_show", N_("Did not come"), Kind.COUNT),
    Column("cancelled", N_("Cancelled"), Kind.COUNT),
    Column("arrived_percent", N_("Came (%)"), Kind.PERCENT),
)


def appointments_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return the period's bookings per service: booked, came, did not come, cancelled."""
    return Section(
        key="appointments",
        title=N_("Appointments booked online"),
        note=N_(
            "Slots booked at /janji-temu, by the day of the slot. Booked counts every booking not cancelled; "
            "a booking whose code was not used at the kiosk by the end of its day did not come. A visitor "
            "who came is in the walk-in table too, with the ticket the code gave them."
        ),
        tables=(
            Table("appointments", N_("Bookings per service"), COLUMNS, _rows(uow, scope), N_("No bookings.")),
        ),
    )


def _rows(uow: UnitOfWork, scope: Scope) -> tuple[tuple[Cell, ...], ...]:
    """Return one row per service with bookings in the period."""
    today = scope.local_day(scope.now)
    status = Booking.status
    counted = (
        func.sum(case((status != BookingStatus.CANCELLED.value, 1), else_=0)),
        func.sum(case((status == BookingStatus.ARRIVED.value, 1), else_=0)),
        func.sum(case(((status == BookingStatus.BOOKED.value) & (Booking.day < today), 1), else_=0)),
        func.sum(case((status == BookingStatus.CANCELLED.value, 1), else_=0)),
    )
    rows = uow.session.execute(
        select(QueueService.code, QueueService.name, QueueService.name_en, *counted)
        .join(Booking, Booking.service_id == QueueService.id)
        .where(
            QueueService.office_id == scope.office_id,
            Booking.day.between(scope.period.start, scope.period.end),
        )
        .group_by(QueueService.id, QueueService.code, QueueService.name, QueueService.name_en)
        .order_by(QueueService.position, QueueService.id)
    ).all()
    return tuple(
        (
            Label(code, indonesian=name, english=name_en or name),
            int(booked or 0),
            int(arrived or 0),
            int(missed or 0),
            int(cancelled or 0),
            round(100 * int(arrived or 0) / int(booked), 1) if booked else None,
        )
        for code, name, name_en, booked, arrived, missed, cancelled in rows
    )
