"""Softcopy requests: an online user asks for a stamped copy; policy or a librarian decides.

A request meets every check in one place (`request_checks`: the form, the access policy, the quotas,
the visit, the requests it would repeat); a restricted one waits for a librarian, an embargo ends on
its day; a job makes the stamped copy, which its owner downloads within its cap and expiry. Start at
`requests` (`check_submit_request`), `decisions` (`check_approve`) and `copies` (`prepare_copy`).
"""
