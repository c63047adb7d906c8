"""The meter contract, stated once; redis.py and database.py implement it.

A meter remembers which metered articles each anonymous reader has been served in full during
a period (a calendar month), and counts the paywall funnel. It knows no request, no cookie and
no article model: readers are opaque ids, articles are integer ids.
"""

import functools
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from paywall.conf import app_settings

EVENTS = ("views", "nudges", "walls", "signups", "donation_clicks", "meter_errors")


class MeterUnavailable(Exception):
    """The meter store could not be reached or failed; nothing was counted."""


@dataclass(frozen=True)
class Period:
    """A metering period: its key ("2026-11") and the moment it ends."""

    key: str
    ends_at: datetime
    day: date

    @property
    def expires_at(self) -> datetime:
        """Storage outlives the period by a day so a read at its last second is still kept."""
        return self.ends_at + timedelta(days=1)


def period_for(now: datetime) -> Period:
    """The calendar month containing `now`, in the paywall's time zone."""
    return _period_at_minute(app_settings.TIME_ZONE, int(now.timestamp() // 60))


# Every metered view asks; time zones move their midnights by whole minutes.
@functools.lru_cache(maxsize=4)
def _period_at_minute(zone: str, minute: int) -> Period:
    local = datetime.fromtimestamp(minute * 60, ZoneInfo(zone))
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    ends_at = local.replace(year=year, month=month, day=1, hour=0, minute=0, second=0)
    return Period(key=f"{local:%Y-%m}", ends_at=ends_at.replace(microsecond=0), day=local.date())


class MeterResult(NamedTuple):
    """The outcome of one read.

    allowed: the article may be served in full (it was already counted, or was counted now).
    count: the distinct articles counted for the reader this period, after this read.
    """

    allowed: bool
    count: int


def first_result(limit: int) -> MeterResult:
    """What a read answers on a period with nothing counted yet."""
    return MeterResult(allowed=limit > 0, count=min(limit, 1))


def funnel_events(result: MeterResult, nudge_from: int) -> dict[str, int]:
    """The funnel counters one metered view adds to: the view, and its wall or nudge."""
    return {
        "views": 1,
        "walls": int(not result.allowed),
        "nudges": int(result.allowed and result.count >= nudge_from),
    }


class MeterBase(ABC):
    """Interface of a meter backend; one instance serves a process and must be thread-safe."""

    @abstractmethod
    def read(
        self,
        *,
        reader: str,
        article_id: int,
        period: Period,
        limit: int,
        nudge_from: int,
        carried: int = 0,
    ) -> MeterResult:
        """Count a metered article served to `reader`, atomically, in one round trip.

        - An article already counted this period is allowed and not counted again, whatever
          the count: once read, it stays readable for the rest of the period.
        - Otherwise, while the count is under `limit`, the article is added and allowed.
        - Otherwise the view is walled: not allowed, and nothing is added.
        `carried`, when not 0, is the article of the reader's `first_read` this period, which
        the caller kept (in the reader's cookie) instead of the store: it is added first, by
        the same rules and in the same atomic call, so it counts once however often it comes
        back, and it adds no funnel view (its own was counted by `first_read`).
        Parallel calls for one reader never let the count pass `limit`. The stored reads expire
        after `period.expires_at`. The funnel counters of `period.day` and the article ride in
        the same call: a view always, a wall when not allowed, a nudge when allowed with a
        count of at least `nudge_from`.

        Raises MeterUnavailable when the store fails; then nothing is counted.
        """

    @abstractmethod
    def first_read(
        self, *, article_id: int, period: Period, limit: int, nudge_from: int
    ) -> MeterResult:
        """Count the first metered view of a reader the site has not met: no cookie came back.

        Answers as `read` would on a period with nothing counted (`first_result`) and counts
        the funnel alike (`funnel_events`), but stores nothing for the reader: the caller
        carries an allowed article in the reader's cookie and passes it back as `carried`.
        A client that never returns its cookie, a bot, so grows no per-reader storage.

        Raises MeterUnavailable when the store fails; then nothing is counted.
        """

    @abstractmethod
    def counted(self, *, reader: str, article_id: int, period: Period) -> bool:
        """Whether the article is counted for `reader` this period (so readable in full),
        in one round trip; counts nothing, funnel included. For what a page already served
        asks again (a live story's new updates), not for a view.

        Raises MeterUnavailable when the store fails.
        """

    @abstractmethod
    def bump(self, *, event: str, article_id: int, day: date) -> None:
        """Add one to a funnel counter (one of EVENTS) for the day and article (0: none).

        Raises MeterUnavailable when the store fails.
        """

    @abstractmethod
    def housekeep(self, *, now: datetime) -> int:
        """Move funnel counters kept outside the database into FunnelDay, drop expired reads.

        Returns the number of FunnelDay rows touched. Safe to run at any time, from several
        processes at once.
        """
