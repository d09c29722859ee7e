"""Server-rendered SVG charts: the geometry of bar and line charts, drawn by templates/layout/charts.html.

No JavaScript and no chart library: the page computes coordinates here, the template writes <rect> and
<polyline> elements, and each chart comes with a data table and a text summary for those who cannot see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
# Room for the axis labels: left for the values, below for the first and last category.
LEFT, BOTTOM, TOP, RIGHT = 44, 24, 12, 8
MAX_BAR = 48


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    # Polyline points ("x,y x,y …") of a line chart; empty for bar charts.
    line: str = ""
    goal_y: float | None = None
    goal: int = 0
    first_label: str = ""
    last_label: str = ""

    @property
    def baseline(self) -> float:
        return self.height - BOTTOM

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT


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
    ticks = [Tick(height - BOTTOM - plot * share, round(top * share)) for share in (0, 0.5, 1)]
    return top, plot, ticks


def bar_chart(points: Sequence[tuple[str, int]], *, width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Bars for (label, value) pairs, left to right, on a value axis starting at zero."""
    top, plot, ticks = _scale(max((value for _, value in points), default=0), height)
    slot = (width - LEFT - RIGHT) / max(len(points), 1)
    # A few bars stay slim (a single day is not a wall); many bars get thin gaps.
    bar = max(min(slot - min(slot * 0.2, 6), MAX_BAR), 1)
    bars = [
        Bar(
            x=round(LEFT + index * slot + (slot - bar) / 2, 2),
            y=round(height - BOTTOM - plot * value / top, 2),
            width=round(bar, 2),
            height=round(plot * value / top, 2),
            label=label,
            value=value,
        )
        for index, (label, value) in enumerate(points)
    ]
    first, last = (points[0][0], points[-1][0]) if points else ("", "")
    return Chart(width, height, bars, ticks, first_label=first, last_label=last)


def line_chart(points: Sequence[tuple[str, int]], *, goal: int = 0, width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """A rising line of running totals (label, total), with the goal as a dashed line when there is one."""
    top, plot, ticks = _scale(max([value for _, value in points] + [goal], default=0), height)
    span = max(len(points) - 1, 1)
    coordinates = []
    for index, (_, value) in enumerate(points):
        x = LEFT + (width - LEFT - RIGHT) * (index / span if len(points) > 1 else 0.5)
        coordinates.append(f"{round(x, 2)},{round(height - BOTTOM - plot * value / top, 2)}")
    goal_y = round(height - BOTTOM - plot * goal / top, 2) if goal else None
    first, last = (points[0][0], points[-1][0]) if points else ("", "")
    return Chart(width, height, [], ticks, " ".join(coordinates), goal_y, goal, first, last)
