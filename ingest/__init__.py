"""Ingest engine: turns a file into a value (pages, their text, derived files).

No Flask, no database: bytes or paths in, values out. library/ stores what it returns.
"""
