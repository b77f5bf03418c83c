"""Accounts: register, verify the email address, sign in and out, reset a password, the profile;
and, under /admin, the administrators' management of accounts (`admin`, its own blueprint)."""

from webapp.accounts import admin, profile, views
from webapp.accounts.blueprint import admin_bp, bp

__all__ = ["admin", "admin_bp", "bp", "profile", "views"]
