"""The decision table: reader kind x count x free flag (crawlers are a reader kind)."""

import pytest

from paywall.meters.base import MeterResult
from paywall.models import PaywallSettings
from paywall.policy import Decision, Prompt, ReaderKind, appeal_due, decide, is_metered

RULES = PaywallSettings(nudge_from=3, wall_after=10)
A, R, C = ReaderKind.ANONYMOUS, ReaderKind.REGISTERED, ReaderKind.CRAWLER
FULL = Decision(full=True)


@pytest.mark.parametrize(
    ("kind", "is_free", "meter", "expected"),
    [
        (A, False, MeterResult(True, 1), Decision(full=True, reads=1)),
        (A, False, MeterResult(True, 2), Decision(full=True, reads=2)),
        (A, False, MeterResult(True, 3), Decision(True, Prompt.NUDGE, 3)),
        (A, False, MeterResult(True, 10), Decision(True, Prompt.NUDGE, 10)),
        (A, False, MeterResult(False, 10), Decision(False, Prompt.WALL, 10)),
        (A, False, None, FULL),  # the meter store is down: fail open
        (A, True, MeterResult(False, 10), FULL),
        (R, False, MeterResult(False, 10), FULL),
        (R, False, MeterResult(True, 5), FULL),
        (R, True, None, FULL),
        (C, False, MeterResult(False, 10), FULL),
        (C, True, None, FULL),
    ],
)
def test_decide(kind, is_free, meter, expected):
    assert decide(kind=kind, is_free=is_free, meter=meter, rules=RULES) == expected


@pytest.mark.parametrize(
    ("kind", "is_free", "enabled", "metered"),
    [
        (A, False, True, True),
        (A, True, True, False),
        (A, False, False, False),
        (R, False, True, False),
        (C, False, True, False),
    ],
)
def test_only_anonymous_readers_of_metered_articles_meet_the_meter(
    kind, is_free, enabled, metered
):
    rules = PaywallSettings(enabled=enabled)
    assert is_metered(kind=kind, is_free=is_free, rules=rules) is metered


def test_a_switched_off_paywall_serves_everything_in_full():
    rules = PaywallSettings(enabled=False)
    assert decide(kind=A, is_free=False, meter=MeterResult(False, 10), rules=rules) == FULL


HOUR = 3600


@pytest.mark.parametrize(
    ("kind", "full", "now", "last_shown", "quiet_until", "due"),
    [
        (A, True, 100 * HOUR, 0, 0, True),
        (R, True, 100 * HOUR, 0, 0, True),
        (A, True, 100 * HOUR, 90 * HOUR, 0, False),  # shown ten hours ago
        (A, True, 100 * HOUR, 76 * HOUR, 0, True),  # a day ago
        (A, True, 100 * HOUR, 0, 101 * HOUR, False),  # dismissed, or a recent donor
        (A, False, 100 * HOUR, 0, 0, False),  # the wall takes the place
        (C, True, 100 * HOUR, 0, 0, False),
    ],
)
def test_appeal_due(kind, full, now, last_shown, quiet_until, due):
    rules = PaywallSettings(donate_interval_hours=24)
    assert (
        appeal_due(
            kind=kind,
            full=full,
            now=now,
            last_shown=last_shown,
            quiet_until=quiet_until,
            rules=rules,
        )
        is due
    )
