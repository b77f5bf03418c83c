"""Accounts: people's online accounts, their credentials, staff roles and rate limits.

- `registration`: register, verify the email address, sign in, the profile (`check_register`,
  `check_verify_email`, `check_sign_in`, `check_update_profile`).
- `credentials`: forgotten and changed passwords, a new email address (`check_reset_password`,
  `check_change_password`, `check_request_email_change`).
- `users`: creating accounts and administering staff roles (`check_create_user`,
  `check_set_staff_roles`, `check_set_active`, `list_users`); who is told of new work
  (`staff_addresses`).
- `passwords`: scrypt hashing. `ratelimit`: attempts per address and email. `occupations`: the
  BPS occupation categories. `mail`: the emails about accounts; `mail_job`: the job that sends
  them after the response (a use case only queues which one).
- `person_reads`: the person behind a web request, read once for it (`read_person`, the session
  loader's; `as_read`, a permission question's).

Other areas use its modules too: the front office's guest book checks names and occupations as
registration does and counts its attempts; a walk-in proves an account with its password or
finds it by email; copies' emails carry a link setting a first password.
"""
