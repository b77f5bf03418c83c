"""Accounts: register, verify the email address, sign in and out, reset a password, the profile."""

from webapp.accounts import profile, views
from webapp.accounts.views import bp

__all__ = ["bp", "profile", "views"]
