"""The satisfaction section: the IKM of the period's SKM answers, per service, with each element's mean.

The index and its grade are computed by `library.quality.index_of` from each element's
count and total, exactly as PermenPANRB 14/2017 sets it; the mean score of an element (its
NRR) is shown rounded to two decimals, the index computed from the exact means.

A response keeps the office day it was given, and in a small office a day's (or a month's)
few visitors are known to the staff: a service with fewer than `MIN_RESPONSES` answers in
the period shows how many, never their index or element means, so that no one's answers can
be read back. "All services" is held back too when it would give away the answers hidden
(all minus the services shown, when those hidden number fewer than `MIN_RESPONSES`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import astuple, dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import ColumnElement, func, select

from library.i18n import N_
from library.models import ELEMENT_CODES, SurveyAnswer, SurveyInvitation, SurveyResponse
from library.quality.elements import ELEMENTS
from library.quality.ikm import ElementScore, Index, index_of
from library.quality.sample import minimum_sample
from library.quality.survey import AsideBy
from library.reports.scope import Scope
from library.reports.tables import Cell, Chart, Column, Kind, Label, Section, Table
from library.uow import UnitOfWork

ALL = Label("all", message=N_("All services"))
INDEXES = (
    Column("service", N_("Service"), Kind.LABEL),
    Column("responses", N_("Answers counted"), Kind.COUNT),
    Column("flagged", N_("Of these, flagged for review"), Kind.COUNT),
    Column("set_aside_rule", N_("Set aside by rule (a proven person's second that day)"), Kind.COUNT),
    Column("set_aside_staff", N_("Set aside by staff"), Kind.COUNT),
    Column("population", N_("Services given (population)"), Kind.COUNT),
    Column("minimum_sample", N_("Minimum sample (Krejcie-Morgan)"), Kind.COUNT),
    Column("sample", N_("Sample"), Kind.LABEL),
    Column("ikm", N_("IKM"), Kind.INDEX),
    Column("grade", N_("Grade"), Kind.GRADE),
)
ENOUGH = Label("enough", message=N_("Enough"))
TOO_SMALL = Label("too_small", message=N_("Below the minimum"))
ELEMENT_COLUMNS = (
    Column("element", N_("Element"), Kind.LABEL),
    Column("answered", N_("Answers"), Kind.COUNT),
    Column("nrr", N_("Mean score (NRR, 1-4)"), Kind.SCORE),
)
_CENT = Decimal("0.01")
MIN_RESPONSES = 5  # the fewest answers whose index and element means a report shows
TOO_FEW = N_(
    "Fewer than 5 answers in this period: their scores are not shown, so that no one's answers "
    "can be told apart."
)
NO_ANSWERS = N_("No survey answers in this period.")


def satisfaction_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return the IKM and grade of all services and of each, and each element's mean score."""
    indexes = _shown(_indexes(uow, scope))
    counts = _counts(uow, scope)
    services = [
        ALL,
        *scope.services,
        *(Label(k, indonesian=k, english=k) for k in indexes | counts if not _known(scope, k)),
    ]
    rows = tuple(_index_row(label, indexes.get(label.code), counts.get(label.code)) for label in services)
    tables = [Table("ikm", N_("Satisfaction index (IKM) per service"), INDEXES, rows, N_("No services."))]
    charts = [
        Chart(
            "ikm",
            N_("IKM per service (25-100)"),
            table="ikm",
            label_column="service",
            value_column="ikm",
            maximum=100.0,
        )
    ]
    for label in services:
        key = f"ikm_elements_{label.code}"
        index = indexes.get(label.code)
        element_rows = _element_rows(index) if index is not None and index.value is not None else ()
        empty = TOO_FEW if index is not None and index.responses else NO_ANSWERS
        title = N_("Mean score per element")
        tables.append(Table(key, title, ELEMENT_COLUMNS, element_rows, empty, label))
        charts.append(
            Chart(
                key, title, table=key, label_column="element", value_column="nrr", maximum=4.0, subject=label
            )
        )
    return Section(
        key="satisfaction",
        title=N_("Satisfaction survey (SKM) and index (IKM)"),
        note=N_(
            "Answers to the SKM survey given in the period, anonymous. Each element's mean score "
            "(NRR) is the mean of its answers (1-4); the IKM is 25 times the mean of the elements' "
            "NRR, with equal weights (PermenPANRB 14/2017). Grades: A 88.31-100, B 76.61-88.30, "
            "C 65.00-76.60, D below. A service with fewer than 5 answers shows their number only. "
            "Each answer is one service the office gave (a walk-in served, a copy delivered, a "
            "consultation answered), and counts. A person the office proved (a verified address, an "
            "ID card) counts once a service a day: their later answers are set aside by rule. Answers "
            "the office may doubt (the same declared name or phone the same day, a terminal session "
            "of under a minute, many answers from one browser) are flagged, and the office head may "
            "set them aside with a reason. The population is the services given in the period; the "
            "minimum sample is the Krejcie-Morgan table's for it (PermenPANRB 14/2017)."
        ),
        tables=tuple(tables),
        charts=tuple(charts),
    )


def service_index_row(uow: UnitOfWork, scope: Scope, service: Label) -> tuple[Cell, ...]:
    """Return one service's row of the IKM table (responses, IKM, grade), small groups held back alike."""
    counts = _counts(uow, scope).get(service.code)
    return _index_row(service, _shown(_indexes(uow, scope)).get(service.code), counts)


def nrr(score: ElementScore) -> Decimal | None:
    """Return an element's mean score to two decimals, half up; None when nobody answered it."""
    mean = score.nrr
    return None if mean is None else _decimal(mean).quantize(_CENT, rounding=ROUND_HALF_UP)


def _known(scope: Scope, kind: str) -> bool:
    return kind == ALL.code or any(s.code == kind for s in scope.services)


def _in_period(scope: Scope) -> tuple[ColumnElement[bool], ...]:
    """Return the conditions of the scope's office and period on survey responses."""
    return (
        SurveyResponse.office_id == scope.office_id,
        SurveyResponse.answered_on >= scope.period.start,
        SurveyResponse.answered_on <= scope.period.end,
    )


@dataclass(frozen=True)
class Counts:
    """A service's answers by state, and the services it gave, in the period."""

    flagged: int = 0  # counted, with a doubt the office head has not set aside
    aside_by_rule: int = 0
    aside_by_staff: int = 0
    population: int = 0  # service events invited to rate

    def __add__(self, other: Counts) -> Counts:
        """Return the sum of two services' counts."""
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def _counts(uow: UnitOfWork, scope: Scope) -> dict[str, Counts]:
    """Return each service's (and "all") flagged and set-aside answers and its population."""
    found: dict[str, Counts] = defaultdict(Counts)
    for service, counted, aside_by, doubts, n in uow.session.execute(
        select(
            SurveyResponse.service,
            SurveyResponse.counted,
            SurveyResponse.aside_by,
            SurveyResponse.doubts,
            func.count(SurveyResponse.id),
        )
        .where(*_in_period(scope))
        .group_by(
            SurveyResponse.service, SurveyResponse.counted, SurveyResponse.aside_by, SurveyResponse.doubts
        )
    ):
        if counted:
            found[service] += Counts(flagged=int(n) if doubts else 0)
        elif aside_by == AsideBy.STAFF.value:
            found[service] += Counts(aside_by_staff=int(n))
        else:
            found[service] += Counts(aside_by_rule=int(n))
    for service, n in uow.session.execute(
        select(SurveyInvitation.service, func.count(SurveyInvitation.id))
        .where(
            SurveyInvitation.office_id == scope.office_id,
            SurveyInvitation.created_at >= scope.starts_at,
            SurveyInvitation.created_at < scope.ends_before,
        )
        .group_by(SurveyInvitation.service)
    ):
        found[service] += Counts(population=int(n))
    if found:
        found[ALL.code] = sum(found.values(), Counts())
    return dict(found)


def _indexes(uow: UnitOfWork, scope: Scope) -> dict[str, Index]:
    """Return the index of every service that was rated in the period, and of all of them ("all")."""
    in_period = (*_in_period(scope), SurveyResponse.counted.is_(True))
    responses = dict(
        uow.session.execute(
            select(SurveyResponse.service, func.count(SurveyResponse.id))
            .where(*in_period)
            .group_by(SurveyResponse.service)
        ).all()
    )
    answers: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for service, element, count, total in uow.session.execute(
        select(
            SurveyResponse.service,
            SurveyAnswer.element,
            func.count(SurveyAnswer.id),
            func.sum(SurveyAnswer.score),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(*in_period)
        .group_by(SurveyResponse.service, SurveyAnswer.element)
    ):
        answers[service][element] = (int(count), int(total))
    indexes = {service: _index(int(count), answers[service]) for service, count in responses.items()}
    if indexes:
        every: dict[str, tuple[int, int]] = {}
        for by_element in answers.values():
            for element, (count, total) in by_element.items():
                before = every.get(element, (0, 0))
                every[element] = (before[0] + count, before[1] + total)
        indexes[ALL.code] = _index(sum(int(c) for c in responses.values()), every)
    return indexes


def _shown(indexes: dict[str, Index]) -> dict[str, Index]:
    """Return the indexes with the scores of too small groups taken out (their counts kept)."""
    small = {k for k, index in indexes.items() if k != ALL.code and index.responses < MIN_RESPONSES}
    if 0 < sum(indexes[k].responses for k in small) < MIN_RESPONSES and ALL.code in indexes:
        small.add(ALL.code)  # all minus the services shown would be the few hidden
    if ALL.code in indexes and indexes[ALL.code].responses < MIN_RESPONSES:
        small.add(ALL.code)
    return {k: _counts_only(index) if k in small else index for k, index in indexes.items()}


def _counts_only(index: Index) -> Index:
    """Return how many answered, with no index, grade or element figures."""
    return Index(index.responses, (), None, None)


def _index(responses: int, by_element: dict[str, tuple[int, int]]) -> Index:
    """Return the index of responses from each element's count and total."""
    scores = tuple(ElementScore(code, *by_element.get(code, (0, 0))) for code in ELEMENT_CODES)
    return index_of(responses, scores)


def _index_row(service: Label, index: Index | None, counts: Counts | None) -> tuple[Cell, ...]:
    """Return a service's row: answers counted, flagged, set aside, population, sample, IKM and grade."""
    counts = counts or Counts()
    counted = 0 if index is None else index.responses
    minimum = minimum_sample(counts.population)
    sample = None if not counts.population else ENOUGH if counted >= minimum else TOO_SMALL
    figures: tuple[Cell, ...] = (
        service,
        counted,
        counts.flagged,
        counts.aside_by_rule,
        counts.aside_by_staff,
        counts.population,
        minimum,
        sample,
    )
    if index is None or index.value is None or index.grade is None:
        return (*figures, None, None)
    grade = Label(index.grade.value, message=index.grade.label)
    return (*figures, index.value, grade)


def _element_rows(index: Index) -> tuple[tuple[Cell, ...], ...]:
    """Return each element's answers and mean score, in the survey's order."""
    return tuple(
        (Label(element.code, message=element.name), score.answered, nrr(score))
        for element, score in zip(ELEMENTS, index.elements, strict=True)
    )


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)
