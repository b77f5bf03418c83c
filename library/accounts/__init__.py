"""Accounts: people's online accounts, their credentials, staff roles and rate limits.

Registering and verifying an email address, signing in, the profile, forgotten and changed
passwords, a new email address, accounts created and staff roles set by an administrator, all
under scrypt hashing and attempts limited per address and email. Start at `registration`
(`check_register`, `check_sign_in`) and `users` (`check_set_staff_roles`); the person behind a web
request is read once for it (`person_reads`: `read_person`).

A use case only queues which account email to send; a job sends it after the response
(`mail_job`). Other areas use its modules too: the front office's guest book checks names and
occupations as registration does and counts its attempts; a walk-in proves an account with its
password or finds it by email; copies' emails carry a link setting a first password.
"""
