"""The librarian's desk: intake, publications, softcopy requests, printed holdings, the ledger, tracing."""

from webapp.desk import holdings, intake, ledger, marc, publications, requests
from webapp.desk.blueprint import bp

__all__ = ["bp", "holdings", "intake", "ledger", "marc", "publications", "requests"]
