"""The service quality reports: the figures that prove an office keeps its published standards.

- `periods`: the days a report covers (`Period`, `PeriodKind`, `period_of`, `range_period`).
- `tables`: what a report is made of, whatever shows it (`Section`, `Table`, `Column`,
  `Kind`, `Label`, `Chart`).
- `report`: the use case (`quality_report`, `QualityReport`), its sections in `SECTIONS`:
  `walk_in` (visits, waits and breaches per service), `visitors` (guest-book visits by hour,
  weekday, month, service asked for, education, occupation, age group and sex), `online`
  (softcopy requests against their target of working days), `copies` (copies per channel,
  downloads, top publications),
  `searches` (terms searched most), `usage` (publications' views, reads and downloads as COUNTER
  counts them, per issuing office and per publication), `satisfaction` (IKM and grade per
  service, each element's NRR), `consultations` (consultations per channel, topic and consultant, the times to
  clarification and answer, the 3-working-day target, closures, the service's IKM),
  `complaints` (complaints by status and SKM element, the time to answer them).
- `plain`: the report as JSON values for scripts (`plain_report`).

A separate area from `quality` because it reads every other one: the front office and the
softcopy requests invite to the survey through `quality`, so `quality` cannot read them back.
"""
