"""Softcopy requests: an online user asks for a stamped copy; policy or a librarian decides.

- `requests`: a request submitted, recorded and announced (`check_submit_request`,
  `find_request`), and what a person may still ask for, shown before the form
  (`request_allowance`, `request_page`); `request_checks`: every check of a request in one place
  (`check_request`: the form, the access policy `decide`, the quotas, the visit, the requests it
  would repeat), with the form and the office's rules they read.
- `decisions`: a librarian approves or refuses; embargoes end (`check_approve`, `check_refuse`,
  `release_embargoed`).
- `copies`: the stamped copy is made by a job (`prepare_copy`; `requeue_unprepared` finds the
  requests left unmade); `downloads`: it is downloaded by its owner within its cap and expiry
  (`check_download`).
- `read_models`: "My requests", one request, the librarian's queue (`list_my_requests`,
  `request_view`, `list_waiting`).
- `mail`: the emails about requests. `purposes`, `page_ranges`: what the form accepts.
  `file_names`: the name a downloaded copy is saved under.
"""
