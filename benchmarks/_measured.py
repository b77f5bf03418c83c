"""Checks that a benchmark measured what it names, before it prints a figure or a goal.

A benchmark that times searches on an index holding nothing, or counts refused requests as pages
served, prints a goal met that nobody met. Each check here stops the run with one line saying what
was not measured, so a broken setup fails loudly instead of reporting.
"""

from __future__ import annotations

from collections.abc import Mapping

REFUSED_AT_MOST = 0.01  # of a load's requests: more, and the load measured refusals, not pages


class NotMeasured(SystemExit):
    """The benchmark did not measure what it names: no figure or goal is printed."""

    def __init__(self, what: str) -> None:
        super().__init__(f"Not measured, so no goal is reported: {what}")


def require(ok: bool, what: str) -> None:
    """Stop the benchmark unless `ok`: `what` says what it would otherwise have reported wrongly."""
    if not ok:
        raise NotMeasured(what)


def indexed_publications(env: Mapping[str, str]) -> int:
    """Return how many publications the search index of the instance `env` configures holds."""
    from library.settings import Settings
    from runtime.root import Runtime

    runtime = Runtime(Settings.from_env(dict(env)))
    try:
        return len(runtime.search().ids())
    finally:
        runtime.close()


def require_indexed(env: Mapping[str, str], publications: int, engine: str = "the index") -> int:
    """Stop unless the instance's index holds the `publications` seeded; return the count."""
    held = indexed_publications(env)
    require(
        held == publications,
        f"{engine} holds {held:,} publications after `pustaka reindex`, not the {publications:,} seeded "
        "(a publication without a publication date is a draft, and drafts are not indexed)",
    )
    return held


def require_answered(label: str, requests: int, refused: int) -> None:
    """Stop unless a load's requests were answered: refusals (429, 503, socket errors) are not pages."""
    require(requests > 0, f"{label}: no request was made")
    require(
        refused <= REFUSED_AT_MOST * requests,
        f"{label}: {refused:,} of {requests:,} requests were refused or failed "
        f"(more than {REFUSED_AT_MOST:.0%}); the pages/s would count refusals",
    )


def require_succeeded(label: str, succeeded: int, failed: int) -> None:
    """Stop unless a phase answered: nothing succeeded, or most failed (a 404 on a draft), is no figure."""
    require(
        succeeded > 0 and failed <= succeeded,
        f"{label}: {succeeded:,} requests succeeded and {failed:,} failed; its figures would describe "
        "errors, not the service",
    )
