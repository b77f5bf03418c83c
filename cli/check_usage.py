"""The `pustaka check` line of publications' usage: the COUNTER-Robots list in use, who sees the figures."""

from __future__ import annotations

from cli.check_labels import check_labels
from cli.check_result import Check
from library.errors import PustakaError
from library.settings import Settings
from library.usage.robots import INSTANCE_FILE, load_robots


def library_checks(settings: Settings) -> list[Check]:
    """Return the lines of the library's own settings: item labels, publications' usage."""
    return [check_labels(settings), check_usage(settings)]


def check_usage(settings: Settings) -> Check:
    """Check that the robots list can be read; say which one is used and who sees the usage figures."""
    refreshed = settings.instance_path / INSTANCE_FILE
    which = f"the office's copy ({refreshed})" if refreshed.is_file() else "the one shipped"
    try:
        robots = load_robots(settings.instance_path)
    except (PustakaError, OSError) as exc:
        return Check(
            "usage (COUNTER)",
            False,
            f"the robots list, {which}, cannot be read: {exc}",
            "Run 'pustaka usage robots --from FILE' with a good COUNTER-Robots list, or delete the copy.",
        )
    shown = "everyone" if settings.usage_public else "staff only (PUSTAKA_USAGE_PUBLIC)"
    return Check(
        "usage (COUNTER)",
        True,
        f"robots list: {which}, {len(robots.patterns)} patterns; figures shown to {shown}; raw events "
        f"kept {settings.usage_keep_events_months} months",
    )
