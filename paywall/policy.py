"""The paywall's decisions as pure functions: no request, no database, no clock of their own.

`rules` is a PaywallSettings instance (saved or not); times are unix seconds.
"""

from dataclasses import dataclass
from enum import StrEnum

from paywall.meters.base import MeterResult


class ReaderKind(StrEnum):
    ANONYMOUS = "anonymous"
    REGISTERED = "registered"
    CRAWLER = "crawler"  # verified; a user agent that only claims to be one is ANONYMOUS


class Prompt(StrEnum):
    NUDGE = "nudge"
    WALL = "wall"


@dataclass(frozen=True)
class Decision:
    full: bool
    prompt: Prompt | None = None
    reads: int = 0


FULL = Decision(full=True)


def is_metered(*, kind: ReaderKind, is_free: bool, rules) -> bool:
    """Whether this view goes through the meter at all."""
    return rules.enabled and kind == ReaderKind.ANONYMOUS and not is_free


def decide(*, kind: ReaderKind, is_free: bool, meter: MeterResult | None, rules) -> Decision:
    """Full text or the wall, and which register prompt to show.

    `meter` is None when the view was not metered, or when the meter store failed: both are
    served in full (the store failing open).
    """
    if meter is None or not is_metered(kind=kind, is_free=is_free, rules=rules):
        return FULL
    if not meter.allowed:
        return Decision(full=False, prompt=Prompt.WALL, reads=meter.count)
    if meter.count >= rules.nudge_from:
        return Decision(full=True, prompt=Prompt.NUDGE, reads=meter.count)
    return Decision(full=True, reads=meter.count)


def appeal_due(
    *, kind: ReaderKind, full: bool, now: int, last_shown: int, quiet_until: int, rules
) -> bool:
    """The donation appeal: on full articles, at most once per interval, never while quiet.

    `quiet_until` covers both a dismissed appeal and a recent donation.
    """
    if kind == ReaderKind.CRAWLER or not full or now < quiet_until:
        return False
    return now - last_shown >= rules.donate_interval_hours * 3600
