"""The librarian's desk: ingest, softcopy requests, printed holdings, the delivery ledger, tracing."""

from webapp.desk import holdings, ingest, ledger, requests
from webapp.desk.blueprint import bp

__all__ = ["bp", "holdings", "ingest", "ledger", "requests"]
