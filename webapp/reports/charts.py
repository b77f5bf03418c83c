"""Bar charts drawn on the server: where each bar, name and value go in an SVG, no script needed.

Each bar has its name on a line above it and its value at its end, so a chart stays legible
when a phone shrinks it: the drawing is `WIDTH` units wide and scales to the page's width.
A bar's name longer than fits is shortened with an ellipsis; the table next to the chart
holds it whole. The template (`reports/_chart.html`) writes the SVG with the chart's title
and description as its `<title>` and `<desc>`.
"""

from __future__ import annotations

from dataclasses import dataclass

from library.reports.words import ShownChart

WIDTH = 360
FONT = 15  # units: about 13 px on a 360 px phone, 15 px at the widest (22rem)
LABEL_LINE = 19  # from the top of a row to the baseline of its name
BAR = 14  # bar height
ROW = 44  # height of one row: name, bar, space
VALUE_ROOM = 60  # room kept right of the longest bar for its value
LONGEST_NAME = 40  # characters of a bar's name drawn before an ellipsis


@dataclass(frozen=True)
class BarShape:
    """Where one bar and its words go."""

    name: str
    value: str
    name_y: float
    bar_y: float
    width: float  # 0 for a bar with nothing to measure
    value_x: float
    value_y: float


@dataclass(frozen=True)
class ChartShape:
    """A whole chart: its words and its bars' places."""

    key: str
    title: str
    description: str
    width: int
    height: int
    track: float  # the full-scale length a bar can have
    bar_height: int
    font_size: int
    bars: tuple[BarShape, ...]


def bar_chart(chart: ShownChart) -> ChartShape:
    """Return the places of a chart's bars, one row each."""
    track = WIDTH - VALUE_ROOM
    bars = []
    for n, bar in enumerate(chart.bars):
        top = n * ROW
        width = round(track * bar.share, 1) if bar.share else 0.0
        bars.append(
            BarShape(
                name=short(bar.label),
                value=bar.value,
                name_y=top + LABEL_LINE - 4,
                bar_y=top + LABEL_LINE,
                width=width,
                value_x=width + 6,
                value_y=top + LABEL_LINE + BAR - 2,
            )
        )
    return ChartShape(
        key=chart.key,
        title=chart.title,
        description=chart.description,
        width=WIDTH,
        height=max(ROW * len(bars), ROW),
        track=track,
        bar_height=BAR,
        font_size=FONT,
        bars=tuple(bars),
    )


def short(name: str) -> str:
    """Return a bar's name cut to fit its line, with an ellipsis when cut."""
    return name if len(name) <= LONGEST_NAME else name[: LONGEST_NAME - 1].rstrip() + "\u2026"
