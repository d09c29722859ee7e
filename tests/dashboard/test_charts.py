"""The SVG chart geometry: bars in proportion on a round axis, the running total against the goal."""

from __future__ import annotations

from itertools import pairwise

from campaign.web.charts import HEIGHT, MAX_BAR, bar_chart, line_chart


def test_bars_are_in_proportion_and_the_axis_ends_on_a_round_number():
    chart = bar_chart([("1. März", 30), ("2. März", 60), ("3. März", 0)])
    assert [tick.value for tick in chart.ticks] == [0, 50, 100]
    tallest, middle, empty = sorted(chart.bars, key=lambda bar: -bar.height)
    assert middle.height * 2 == tallest.height and empty.height == 0
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)
    assert (chart.first_label, chart.last_label) == ("1. März", "3. März")


def test_a_single_bar_stays_slim_and_no_data_draws_nothing():
    assert bar_chart([("1. März", 5)]).bars[0].width <= MAX_BAR
    empty = bar_chart([])
    assert empty.bars == [] and [tick.value for tick in empty.ticks] == [0, 1]


def test_a_middle_tick_only_where_half_the_axis_is_a_whole_number():
    """Half of 1 or 5 was rounded to 0 or 2 and labelled a grid line at 0.5 or 2.5: „0, 0, 1“ up the axis."""
    assert [tick.value for tick in bar_chart([("1. März", 1)]).ticks] == [0, 1]
    assert [tick.value for tick in bar_chart([("1. März", 4)]).ticks] == [0, 5]
    assert [tick.value for tick in bar_chart([("1. März", 2)]).ticks] == [0, 1, 2]
    assert [tick.value for tick in bar_chart([("1. März", 1500)]).ticks] == [0, 1000, 2000]


def test_bars_fill_the_plot_across_in_percent():
    """Positions across are percentages of the plot, so the SVG needs no viewBox that would shrink its text."""
    bars = bar_chart([(f"{day}. März", day) for day in range(1, 31)]).bars
    assert bars[0].x > 0 and 99 < bars[-1].x + bars[-1].width < 100
    assert all(left.x + left.width < right.x for left, right in pairwise(bars))


def test_the_goal_line_is_above_a_total_that_has_not_reached_it():
    chart = line_chart([("1. März", 10), ("2. März", 30)], goal=100)
    assert chart.goal_y is not None and chart.goal_y < HEIGHT
    points = [tuple(map(float, point.split(","))) for point in chart.line.split()]
    assert points[0][0] < points[1][0] and points[1][1] > chart.goal_y  # SVG y grows downwards
    assert line_chart([("1. März", 10)]).goal_y is None
