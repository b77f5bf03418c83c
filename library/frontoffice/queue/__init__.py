"""The queue at the counters: numbers, calls, service, waits against the clock, the board and consoles.

Each service numbers its tickets from 1 every day; staff open a counter, call the next visitor
(priority groups first), serve, finish, skip or transfer, race-free between counters, and a late
start names its reason. Start at `actions` (`call_next`, `start_service`) and `read_models`
(`console_view`); the supervisor's view is `supervision`. The clock rule (`clocks`) and the
priority rule (`priority`) are pure functions.
"""
