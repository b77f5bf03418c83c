"""Library terminals: the registered devices, a visitor's terminal session on one, its ticket entry.

An administrator registers a terminal (`devices`); a walk-in visitor starts a session on it with
their ticket, scanned or typed (`ticket_entry`), and reads until "Selesai" (`sessions`:
`check_start_session`, `finish_session`). Entering a ticket by its number is for staff only.
"""
