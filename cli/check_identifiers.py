"""The `pustaka check` line about persistent identifiers: the prefix in use, its counter, gaps."""

from __future__ import annotations

from cli.check_result import Check
from library.identifiers.health import identifier_state
from runtime.root import Runtime


def check_identifiers(rt: Runtime) -> Check:
    """Say which prefix new publications are numbered under, and refuse a counter a new one would trip on."""
    prefix = rt.settings.identifier_prefix
    with rt.uow() as uow:
        state = identifier_state(uow, prefix)
    where = f"new publications get {rt.settings.base_url.rstrip('/')}/id/{prefix}/<number>"
    if state.counter_behind:
        return Check(
            "identifiers",
            False,
            f"the counter of {prefix} is at {state.last_given}, "
            f"but a publication holds {prefix}/{state.highest_held}",
            "Raise it: UPDATE identifier_counter SET last_number = "
            f"{state.highest_held} WHERE prefix = '{prefix}' (numbers are never given twice).",
        )
    if state.without:
        return Check(
            "identifiers",
            False,
            f"{state.without} publications have no persistent identifier ({where})",
            "They were stored around the migrations; run 'pustaka db upgrade' or give them one by hand.",
            required=False,
        )
    return Check("identifiers", True, f"{where}; OAI-PMH names the repository {rt.settings.oai_repository}")
