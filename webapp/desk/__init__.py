"""The librarian's desk: ingest and its jobs, softcopy requests, the delivery ledger and tracing."""

from webapp.desk import ingest, ledger, requests
from webapp.desk.blueprint import bp

__all__ = ["bp", "ingest", "ledger", "requests"]
