"""Softcopy requests: an online user asks for a stamped copy; policy or a librarian decides.

- `requests`: the request form and the access policy (`check_submit_request`, `find_request`),
  and what a person may still ask for, shown before the form (`request_allowance`,
  `request_page`); `request_checks`: its checks that read what is recorded (the visit, the
  requests it would repeat) and the gathering of every problem into one answer.
- `decisions`: a librarian approves or refuses; embargoes end (`check_approve`, `check_refuse`,
  `release_embargoed`).
- `copies`: the stamped copy is made by a job and downloaded within its cap and expiry
  (`prepare_copy`, `check_download`, `requeue_unprepared`).
- `read_models`: "My requests", one request, the librarian's queue (`list_my_requests`,
  `request_view`, `list_waiting`).
- `mail`: the emails about requests. `purposes`, `page_ranges`: what the form accepts.
  `file_names`: the name a downloaded copy is saved under.

Other areas use only what this package exports.
"""

from library.softcopy.page_ranges import format_page_ranges, parse_page_ranges

__all__ = ["format_page_ranges", "parse_page_ranges"]
