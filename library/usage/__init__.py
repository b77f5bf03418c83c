"""Usage of publications, counted as the COUNTER Code of Practice (Release 5) says.

Events are recorded where they happen (in memory, written in batches, a session key instead of
who), counted by the housekeeping into figures per publication and office day, and read by the
publication page and the reports; a web server's access log is taken in by the same rules. Start at
`counting` (`count_events`: the rules, pure) and `figures` (`do_count_usage`, `usage_by_day`).
Robots on the COUNTER-Robots list are never counted.
"""
