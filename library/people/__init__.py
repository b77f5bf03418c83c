"""People: online accounts, their credentials, staff roles and rate limits.

- `accounts`: register, verify the email address, sign in, the profile (`check_register`,
  `check_verify_email`, `check_sign_in`, `check_update_profile`).
- `credentials`: forgotten and changed passwords, a new email address (`check_reset_password`,
  `check_change_password`, `check_request_email_change`).
- `users`: creating accounts and administering staff roles (`check_create_user`,
  `check_set_staff_roles`, `check_set_active`, `list_users`).
- `passwords`: scrypt hashing. `ratelimit`: attempts per address and email. `occupations`: the
  BPS occupation categories. `mail`: the emails about accounts.
"""
