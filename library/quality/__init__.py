"""Service quality: the SKM satisfaction survey and its index (IKM), and complaints.

A person is invited to the survey after a service (online, at a counter, a terminal or by a scan)
and answers once; the index is computed exactly as PermenPANRB 14/2017 sets it, and the office head
may set doubtful answers aside. Start at `survey` (`invite`, `submit_survey`) and `ikm`
(`compute_index`); complaints are the `complaints` sub-package.

The reports read the survey (`library.reports`); the front office and the softcopy requests invite
to it through this area, so it never reads them back.
"""
