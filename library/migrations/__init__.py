"""Alembic migrations of the Pustaka schema."""
