"""The librarian's desk: ingest, publications, softcopy requests, printed holdings, the ledger, tracing."""

from webapp.desk import holdings, ingest, ledger, publications, requests
from webapp.desk.blueprint import bp

__all__ = ["bp", "holdings", "ingest", "ledger", "publications", "requests"]
