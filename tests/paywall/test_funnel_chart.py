"""The funnel chart's axes: a round top for the values, dates that do not crowd."""

from datetime import date, timedelta

import pytest

from paywall.funnel_chart import funnel_chart, labelled_days, round_top
from paywall.meters.base import EVENTS


@pytest.mark.parametrize(
    ("largest", "top"), [(0, 1), (1, 1), (2, 2), (3, 5), (10, 10), (11, 20), (127, 200)]
)
def test_the_value_axis_ends_on_a_round_number(largest, top):
    assert round_top(largest) == top


@pytest.mark.parametrize(
    ("days", "labelled"),
    [(0, []), (1, [0]), (2, [0, 1]), (7, [0, 2, 4, 6]), (30, [0, 5, 10, 15, 20, 25, 29])],
)
def test_the_day_axis_labels_about_a_day_a_week_and_the_last(days, labelled):
    assert labelled_days(days) == labelled


def test_each_point_sits_on_its_value_and_says_it():
    start = date(2030, 3, 1)
    rows = [dict.fromkeys(EVENTS, 0) | {"day": start + timedelta(days=n)} for n in range(3)]
    rows[2]["views"] = 7
    chart = funnel_chart(rows, {name: name for name in EVENTS})
    assert [tick.label for tick in chart["value_ticks"]] == ["0", "2", "4", "6", "8", "10"]
    assert [tick.label for tick in chart["day_ticks"]] == ["1 Mar", "2 Mar", "3 Mar"]
    views = chart["lines"][0]["points"]
    zero, ten = chart["value_ticks"][0].position, chart["value_ticks"][-1].position
    assert views[0]["y"] == zero
    assert views[2]["y"] == pytest.approx(zero + 0.7 * (ten - zero), abs=0.1)
    assert views[2]["title"] == "3 Mar: 7"
