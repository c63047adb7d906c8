"""The embedded meter: tables in the site's database, one transaction per read.

The reader's Meter row is locked (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every
transaction begins IMMEDIATE, which serialises writers), so parallel reads by one reader see
each other's additions.
"""

from datetime import date, datetime

from django.db import DatabaseError, transaction

from paywall.meters.base import MeterBase, MeterResult, MeterUnavailable, Period
from paywall.models import FunnelDay, Meter, MeterRead


class DatabaseMeter(MeterBase):
    def read(
        self, *, reader: str, article_id: int, period: Period, limit: int, nudge_from: int
    ) -> MeterResult:
        try:
            return self._read(reader, article_id, period, limit, nudge_from)
        except DatabaseError as error:
            raise MeterUnavailable(str(error)) from error

    @transaction.atomic
    def _read(
        self, reader: str, article_id: int, period: Period, limit: int, nudge_from: int
    ) -> MeterResult:
        meter, _ = Meter.objects.select_for_update().get_or_create(
            reader=reader, period=period.key, defaults={"expires_at": period.expires_at}
        )
        allowed = True
        if not MeterRead.objects.filter(meter=meter, article_id=article_id).exists():
            if meter.count < limit:
                MeterRead.objects.create(meter=meter, article_id=article_id)
                meter.count += 1
                meter.save(update_fields=["count"])
            else:
                allowed = False
        nudged = allowed and meter.count >= nudge_from
        FunnelDay.objects.add(
            day=period.day,
            article_id=article_id,
            views=1,
            walls=int(not allowed),
            nudges=int(nudged),
        )
        return MeterResult(allowed=allowed, count=meter.count)

    def bump(self, *, event: str, article_id: int, day: date) -> None:
        try:
            with transaction.atomic():
                FunnelDay.objects.add(day=day, article_id=article_id, **{event: 1})
        except DatabaseError as error:
            raise MeterUnavailable(str(error)) from error

    def housekeep(self, *, now: datetime) -> int:
        Meter.objects.filter(expires_at__lt=now).delete()
        return 0
