"""The service quality reports: the figures that prove an office keeps its published standards.

One use case (`quality_report`) makes an office's report over a period (`periods`) for the page, the
PDF and the command, as sections of tables and charts whatever shows them (`tables`); each section
is a module of its own, listed in `SECTIONS`. `plain_report` gives the same as JSON values for
scripts.

A separate area from `library.quality` because it reads every other one: the front office and the
softcopy requests invite to the survey through `library.quality`, so it cannot read them back.
"""
