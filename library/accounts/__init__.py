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

Other areas use only what this package exports (the front office's guest book checks names and
occupations as registration does and counts its attempts; a walk-in proves an account with its
password or finds it by email; copies' emails carry a link setting a first password).
"""

from library.accounts.first_password import FirstPassword, PasswordLinks
from library.accounts.mail_job import AccountPost
from library.accounts.occupations import OCCUPATIONS, Occupation, is_occupation
from library.accounts.ratelimit import (
    APPOINTMENT,
    COMPLAINT,
    CONSULTATION,
    GUEST_BOOK,
    GUEST_BOOK_DAY,
    GUEST_BOOK_KIOSK,
    GUEST_BOOK_KIOSK_DAY,
    SEND_CODE_DAY,
    TRY_CODE_DAY,
    TRY_CODE_TERMINAL,
    Taken,
    Throttle,
    TooManyAttempts,
)
from library.accounts.registration import check_sign_in, clean_institution
from library.accounts.users import (
    check_text_field,
    clean_email,
    clean_name,
    clean_occupation,
    find_by_email,
    staff_addresses,
)

__all__ = [
    "APPOINTMENT",
    "AccountPost",
    "COMPLAINT",
    "CONSULTATION",
    "FirstPassword",
    "PasswordLinks",
    "GUEST_BOOK",
    "GUEST_BOOK_DAY",
    "GUEST_BOOK_KIOSK",
    "GUEST_BOOK_KIOSK_DAY",
    "SEND_CODE_DAY",
    "TRY_CODE_DAY",
    "TRY_CODE_TERMINAL",
    "Taken",
    "OCCUPATIONS",
    "Occupation",
    "Throttle",
    "TooManyAttempts",
    "check_sign_in",
    "check_text_field",
    "clean_email",
    "clean_institution",
    "clean_name",
    "clean_occupation",
    "find_by_email",
    "staff_addresses",
    "is_occupation",
]
