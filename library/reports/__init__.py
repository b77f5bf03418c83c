"""The service quality reports: the figures that prove an office keeps its published standards.

- `periods`: the days a report covers (`Period`, `PeriodKind`, `period_of`, `range_period`).
- `tables`: what a report is made of, whatever shows it (`Section`, `Table`, `Column`,
  `Kind`, `Label`, `Chart`).
- `report`: the use case (`quality_report`, `QualityReport`), its sections in `SECTIONS`:
  `walk_in` (visits, waits and breaches per service), `visitors` (guest-book visits by hour,
  weekday, month, service asked for, education, occupation, age group and sex), `online`
  (softcopy requests against their target of working days), `copies` (copies per channel,
  downloads, top publications),
  `searches` (terms searched most), `satisfaction` (IKM and grade per service, each element's
  NRR), `consultations` (consultations per channel, topic and consultant, the times to
  clarification and answer, the 3-working-day target, closures, the service's IKM),
  `complaints` (complaints by status and SKM element, the time to answer them).
- `plain`: the report as JSON values for scripts (`plain_report`).

A separate area from `quality` because it reads every other one: the front office and the
softcopy requests invite to the survey through `quality`, so `quality` cannot read them back.
"""

from library.reports.periods import Period, PeriodKind, period_of, range_period
from library.reports.plain import plain_report, plain_table
from library.reports.report import ONLY_HEADS_READ_REPORTS, SECTIONS, QualityReport, quality_report
from library.reports.scope import ReportRules, Scope
from library.reports.tables import Cell, Chart, Column, Kind, Label, Section, Table

__all__ = [
    "Cell",
    "Chart",
    "Column",
    "Kind",
    "Label",
    "ONLY_HEADS_READ_REPORTS",
    "Period",
    "PeriodKind",
    "QualityReport",
    "ReportRules",
    "SECTIONS",
    "Scope",
    "Section",
    "Table",
    "period_of",
    "plain_report",
    "plain_table",
    "quality_report",
    "range_period",
]
