"""The funnel's chart as numbers for a server-rendered SVG: lines per event, both axes.

Drawn in a fixed box of `WIDTH` x `HEIGHT` units that the page scales to its width. The
value axis runs from 0 to a round top (1, 2 or 5 times a power of ten) in five steps, each
with a gridline; the day axis labels about one day a week and always the last. Each day's
value is a point with a title (a hover or a screen reader gives the number), and the page
repeats them in a table.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

WIDTH, HEIGHT = 640, 260
# Room for the value labels on the left and the dates below.
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 30
SERIES = [
    ("views", "#4b5563"),
    ("nudges", "#2563eb"),
    ("walls", "#dc2626"),
    ("signups", "#15803d"),
    ("donation_clicks", "#a16207"),
]
VALUE_STEPS = 5
DAY_LABELS = 6


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


def round_top(largest: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least `largest` (1 at least),
    so that the value axis reads in round steps."""
    if largest <= 1:
        return 1
    power = 10 ** math.floor(math.log10(largest))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= largest)


def _day_label(day: date) -> str:
    return date_format(day, "j M")


def labelled_days(count: int) -> list[int]:
    """About `DAY_LABELS` evenly spaced days, the last always, none crowding it."""
    if not count:
        return []
    every = math.ceil(count / DAY_LABELS)
    labelled = list(range(0, count - 1, every))
    if labelled and count - 1 - labelled[-1] < every / 2:
        labelled.pop()
    return [*labelled, count - 1]


def funnel_chart(rows: list[dict], names: dict[str, str]) -> dict:
    """The chart's parts for `rows` (one per day, oldest first, with `day` and each event);
    `names` gives each event's label."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = round_top(max([row[name] for row in rows for name, _colour in SERIES] + [0]))
    step = plot_width / max(len(rows) - 1, 1)

    def x(index: int) -> float:
        return round(LEFT + index * step, 1)

    def y(value: float) -> float:
        return round(TOP + plot_height - value * plot_height / top, 1)

    steps = VALUE_STEPS if top % VALUE_STEPS == 0 else top  # a top of 1 or 2: every unit
    values = [top * n // steps for n in range(steps + 1)]
    lines = []
    for name, colour in SERIES:
        points = [
            {"x": x(i), "y": y(row[name]), "title": f"{_day_label(row['day'])}: {row[name]}"}
            for i, row in enumerate(rows)
        ]
        lines.append(
            {
                "name": names[name],
                "colour": colour,
                "points": points,
                "path": " ".join(f"{p['x']},{p['y']}" for p in points),
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "value_ticks": [Tick(y(value), f"{value:,}") for value in values],
        "day_ticks": [Tick(x(i), _day_label(rows[i]["day"])) for i in labelled_days(len(rows))],
        "lines": lines,
    }
