"""The queue at the counters: numbers, calls, service, waits against the clock, the board and consoles."""
