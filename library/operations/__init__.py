"""Operations: how the office stands right now (`now`), the alerts raised from it (`alerts`), and
what an upgrade will run, told before it runs (`upgrade_plan`).

`office_now` (walk-in waits against their targets, copies, consultations, complaints) is read by
the operations page, the live figures and the alerts' check; `raise_alerts` emails the
administrators of a condition at most once an interval.
"""
