"""Server-rendered SVG charts: the geometry of bar and line charts, drawn by templates/track/_charts.html.

No JavaScript and no chart library: the page computes coordinates here, the template writes <rect> and
<polyline> elements, and each chart comes with a data table and a text summary for those who cannot see it.

The SVG has no viewBox, so its text keeps the page's font size at any width: a 640-unit drawing scaled down to a
phone made the axis labels 6 px high. Heights are therefore pixels, fixed, and positions across are percentages
of the plot's width (the SVG's content box; the value labels sit in its left padding).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HEIGHT = 220
# Pixels above the top tick (room for the goal's label) and below the baseline (the first and last category).
TOP, BOTTOM = 20, 26
# Percent of the plot's width: at most as wide as 48 px of the old 640-unit drawing, so a single day is no wall;
# the gap between bars likewise at most about 6 px of it.
MAX_BAR, MAX_GAP = 7.5, 1.0


@dataclass(frozen=True)
class Bar:
    x: float  # percent of the plot's width
    y: float
    width: float  # percent of the plot's width
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    # Polyline points ("x,y x,y …", x in percent of the plot's width) of a line chart; empty for bar charts.
    line: str = ""
    goal_y: float | None = None
    goal: int = 0
    first_label: str = ""
    last_label: str = ""

    @property
    def baseline(self) -> float:
        return self.height - BOTTOM

    @property
    def wide_axis(self) -> bool:
        """Whether a value label has four digits or more („1.000“), for which the SVG leaves more room."""
        return max((tick.value for tick in self.ticks), default=0) >= 1000


def _nice_maximum(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1), so axis ticks are round numbers."""
    value = max(value, 1)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def _scale(maximum: int, height: int) -> tuple[int, float, list[Tick]]:
    top = _nice_maximum(maximum)
    plot = height - TOP - BOTTOM
    # A middle tick only where it is a whole number: half of 1 or 5 would be labelled with a rounded, wrong value.
    values = [0, top // 2, top] if top % 2 == 0 else [0, top]
    ticks = [Tick(round(height - BOTTOM - plot * value / top, 2), value) for value in values]
    return top, plot, ticks


def bar_chart(points: Sequence[tuple[str, int]], *, height: int = HEIGHT) -> Chart:
    """Bars for (label, value) pairs, left to right, on a value axis starting at zero."""
    top, plot, ticks = _scale(max((value for _, value in points), default=0), height)
    slot = 100 / max(len(points), 1)
    # A few bars stay slim (a single day is not a wall); many bars get thin gaps.
    bar = max(min(slot - min(slot * 0.2, MAX_GAP), MAX_BAR), 0.1)
    bars = [
        Bar(
            x=round(index * slot + (slot - bar) / 2, 3),
            y=round(height - BOTTOM - plot * value / top, 2),
            width=round(bar, 3),
            height=round(plot * value / top, 2),
            label=label,
            value=value,
        )
        for index, (label, value) in enumerate(points)
    ]
    first, last = (points[0][0], points[-1][0]) if points else ("", "")
    return Chart(height, bars, ticks, first_label=first, last_label=last)


def line_chart(points: Sequence[tuple[str, int]], *, goal: int = 0, height: int = HEIGHT) -> Chart:
    """A rising line of running totals (label, total), with the goal as a dashed line when there is one."""
    top, plot, ticks = _scale(max([value for _, value in points] + [goal], default=0), height)
    span = max(len(points) - 1, 1)
    coordinates = []
    for index, (_, value) in enumerate(points):
        x = 100 * (index / span if len(points) > 1 else 0.5)
        coordinates.append(f"{round(x, 3)},{round(height - BOTTOM - plot * value / top, 2)}")
    goal_y = round(height - BOTTOM - plot * goal / top, 2) if goal else None
    first, last = (points[0][0], points[-1][0]) if points else ("", "")
    return Chart(height, [], ticks, " ".join(coordinates), goal_y, goal, first, last)
