"""The `pustaka check` line about subjects: free-text subjects not merged into controlled ones (a note)."""

from __future__ import annotations

from cli.check_result import Check
from library.subjects.vocabulary import free_text_count
from runtime.root import Runtime


def check_subjects(rt: Runtime) -> Check:
    """Say how many publications keep a free-text subject not merged into a controlled one (a note)."""
    with rt.uow() as uow:
        free = free_text_count(uow)
    if not free:
        return Check("subjects", True, "every publication's subject is a controlled subject (or none)")
    return Check(
        "subjects",
        False,
        f"{free} publications have free-text subjects not merged",
        "Merge them on the desk's subject screen (/meja/subjek) so facets and harvesters group them.",
        required=False,
    )
