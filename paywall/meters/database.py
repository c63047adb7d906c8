"""The embedded meter: tables in the site's database, one transaction per read.

The reader's Meter row is locked (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every
transaction begins IMMEDIATE, which serialises writers), so parallel reads by one reader see
each other's additions. A reader the site has not met yet (`first_read`) gets no row: the
funnel's day row is the only write.
"""

from datetime import date, datetime

from django.db import DatabaseError, transaction

from paywall.meters.base import (
    MeterBase,
    MeterResult,
    MeterUnavailable,
    Period,
    first_result,
    funnel_events,
)
from paywall.models import FunnelDay, Meter, MeterRead


class DatabaseMeter(MeterBase):
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
        try:
            with transaction.atomic():
                return self._read(reader, article_id, period, limit, nudge_from, carried)
        except DatabaseError as error:
            raise MeterUnavailable(str(error)) from error

    @staticmethod
    def _read(reader, article_id, period, limit, nudge_from, carried) -> MeterResult:
        """The contract's read, inside the caller's transaction (see MeterBase.read)."""
        meter, _ = Meter.objects.select_for_update().get_or_create(
            reader=reader, period=period.key, defaults={"expires_at": period.expires_at}
        )
        wanted = [a for a in dict.fromkeys((carried, article_id)) if a]  # the carried first
        known = set(
            MeterRead.objects.filter(meter=meter, article_id__in=wanted).values_list(
                "article_id", flat=True
            )
        )
        added = [a for a in wanted if a not in known][: max(limit - meter.count, 0)]
        if added:
            MeterRead.objects.bulk_create([MeterRead(meter=meter, article_id=a) for a in added])
            meter.count += len(added)
            meter.save(update_fields=["count"])
        result = MeterResult(allowed=article_id in known or article_id in added, count=meter.count)
        FunnelDay.objects.add(
            day=period.day, article_id=article_id, **funnel_events(result, nudge_from)
        )
        return result

    def first_read(
        self, *, article_id: int, period: Period, limit: int, nudge_from: int
    ) -> MeterResult:
        result = first_result(limit)
        self._count(period.day, article_id, funnel_events(result, nudge_from))
        return result

    def counted(self, *, reader: str, article_id: int, period: Period) -> bool:
        try:
            return MeterRead.objects.filter(
                meter__reader=reader, meter__period=period.key, article_id=article_id
            ).exists()
        except DatabaseError as error:
            raise MeterUnavailable(str(error)) from error

    def bump(self, *, event: str, article_id: int, day: date) -> None:
        self._count(day, article_id, {event: 1})

    @staticmethod
    def _count(day: date, article_id: int, increments: dict[str, int]) -> None:
        try:
            with transaction.atomic():
                FunnelDay.objects.add(day=day, article_id=article_id, **increments)
        except DatabaseError as error:
            raise MeterUnavailable(str(error)) from error

    def housekeep(self, *, now: datetime) -> int:
        Meter.objects.filter(expires_at__lt=now).delete()
        return 0
