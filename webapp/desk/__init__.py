"""The librarian's desk: intake, publications, softcopy requests, print copies, subjects, ledger, traces."""

from webapp.desk import holdings, intake, ledger, marc, publications, requests, subjects
from webapp.desk.blueprint import bp

__all__ = ["bp", "holdings", "intake", "ledger", "marc", "publications", "requests", "subjects"]
