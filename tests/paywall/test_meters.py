"""The meter contract (paywall/meters/base.py), one suite over every backend."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from django.db import connection

from paywall.meters.base import MeterUnavailable, period_for
from paywall.meters.redis import RedisMeter, meter_key
from paywall.models import FunnelDay, Meter

# A month far ahead: Redis drops at once a key whose expiry (a day after the period) is past.
NOW = datetime(2099, 11, 14, 12, 0, tzinfo=UTC)
LIMIT, NUDGE_FROM = 10, 3

pytestmark = pytest.mark.django_db


def read(meter, reader, article_id, now=NOW, carried=0):
    return meter.read(
        reader=reader,
        article_id=article_id,
        period=period_for(now),
        limit=LIMIT,
        nudge_from=NUDGE_FROM,
        carried=carried,
    )


def first_read(meter, article_id, limit=LIMIT, nudge_from=NUDGE_FROM):
    return meter.first_read(
        article_id=article_id, period=period_for(NOW), limit=limit, nudge_from=nudge_from
    )


def stored_readers(meter) -> int:
    """Readers the meter keeps anything for: Meter rows, or meter sets in Redis."""
    from tests.paywall.conftest import PREFIX

    if isinstance(meter, RedisMeter):
        return sum(1 for _key in meter.client.scan_iter(match=f"{PREFIX}:meter:*"))
    return Meter.objects.count()


def test_counts_distinct_articles_up_to_the_limit_then_walls(meter, reader_id):
    results = [read(meter, reader_id, article) for article in range(1, 12)]
    assert [r.count for r in results] == [*range(1, 11), 10]
    assert [r.allowed for r in results] == [True] * 10 + [False]


def test_a_re_read_is_not_counted_again_and_stays_readable_after_the_wall(meter, reader_id):
    for article in range(1, 11):
        read(meter, reader_id, article)
    assert read(meter, reader_id, 99).allowed is False
    assert read(meter, reader_id, 99).allowed is False  # a walled view does not count
    again = read(meter, reader_id, 4)
    assert (again.allowed, again.count) == (True, 10)


def test_re_reads_before_the_wall_leave_the_count_alone(meter, reader_id):
    assert read(meter, reader_id, 7).count == 1
    assert read(meter, reader_id, 7).count == 1
    assert read(meter, reader_id, 8).count == 2


def test_readers_are_metered_apart(meter, reader_id):
    for article in range(1, 11):
        read(meter, reader_id, article)
    other = read(meter, reader_id + "-other", 1)
    assert (other.allowed, other.count) == (True, 1)


def test_a_new_month_starts_a_new_count(meter, reader_id):
    last_second = datetime(2099, 11, 30, 23, 59, 59, tzinfo=UTC)
    for article in range(1, 12):
        read(meter, reader_id, article, now=last_second)
    december = datetime(2099, 12, 1, 0, 0, 1, tzinfo=UTC)
    first = read(meter, reader_id, 11, now=december)
    assert (first.allowed, first.count) == (True, 1)


def test_the_month_is_the_paywall_time_zone_s(settings):
    settings.PAYWALL_TIME_ZONE = "Asia/Jerusalem"
    # 22:30 UTC on 30 November is already 1 December in Jerusalem (UTC+2).
    period = period_for(datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    assert period.key == "2026-12"
    assert period.ends_at == datetime(2026, 12, 31, 22, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("parallel", [20, 50])
def test_parallel_distinct_reads_by_one_reader_allow_exactly_the_limit(meter, reader_id, parallel):
    def one(article):
        try:
            return read(meter, reader_id, article)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        results = list(pool.map(one, range(1, parallel + 1)))
    assert sum(r.allowed for r in results) == LIMIT
    assert read(meter, reader_id, 1000).count == LIMIT


def test_a_first_read_is_answered_and_counted_in_the_funnel_but_stored_for_no_reader(meter):
    results = [first_read(meter, 5) for _n in range(20)]
    assert set(results) == {(True, 1)}
    assert stored_readers(meter) == 0
    assert first_read(meter, 6, nudge_from=1) == (True, 1)
    assert first_read(meter, 7, limit=0) == (False, 0)
    meter.housekeep(now=NOW)
    rows = {row.article_id: row for row in FunnelDay.objects.filter(day=NOW.date())}
    assert (rows[5].views, rows[5].nudges, rows[5].walls) == (20, 0, 0)
    assert (rows[6].views, rows[6].nudges, rows[7].views, rows[7].walls) == (1, 1, 1, 1)


def test_the_carried_first_read_is_stored_with_the_next_and_counts_once(meter, reader_id):
    assert first_read(meter, 1) == (True, 1)
    assert read(meter, reader_id, 2, carried=1) == (True, 2)
    assert read(meter, reader_id, 1, carried=1) == (True, 2)  # a re-read of the carried
    assert read(meter, reader_id, 2, carried=1) == (True, 2)
    assert read(meter, reader_id, 3, carried=1) == (True, 3)
    assert stored_readers(meter) == 1
    meter.housekeep(now=NOW)
    views = {row.article_id: row.views for row in FunnelDay.objects.filter(day=NOW.date())}
    assert views == {1: 2, 2: 2, 3: 1}  # the carried article's view counted once, at first


def test_a_reader_returning_to_the_carried_article_counts_one(meter, reader_id):
    assert read(meter, reader_id, 1, carried=1) == (True, 1)
    assert read(meter, reader_id, 1, carried=1) == (True, 1)


def test_the_carried_article_takes_its_place_under_the_wall(meter, reader_id):
    results = [read(meter, reader_id, article, carried=100) for article in range(1, 12)]
    assert [r.count for r in results] == [*range(2, 11), 10, 10]
    assert [r.allowed for r in results] == [True] * 9 + [False] * 2
    assert read(meter, reader_id, 100, carried=100) == (True, 10)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_reads_carrying_the_first_article_count_it_once(meter, reader_id):
    def one(article):
        try:
            return read(meter, reader_id, article, carried=1000)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, range(1, 21)))
    assert sum(r.allowed for r in results) == LIMIT - 1
    assert read(meter, reader_id, 1000, carried=1000) == (True, LIMIT)


def test_the_funnel_counts_views_nudges_and_walls(meter, reader_id):
    for article in [1, 2, 3, 3, *range(4, 12)]:
        read(meter, reader_id, article)
    meter.bump(event="signups", article_id=11, day=NOW.date())
    meter.housekeep(now=NOW)
    rows = {row.article_id: row for row in FunnelDay.objects.filter(day=NOW.date())}
    assert sum(r.views for r in rows.values()) == 12
    assert (rows[3].views, rows[3].nudges) == (2, 2)
    assert (rows[2].nudges, rows[11].walls, rows[11].signups) == (0, 1, 1)
    assert sum(r.nudges for r in rows.values()) == 9  # counts 3..10, the re-read included
    meter.housekeep(now=NOW)
    assert FunnelDay.objects.get(day=NOW.date(), article_id=3).views == 2


def test_redis_keys_are_namespaced_and_expire_after_the_period(settings):
    from tests.paywall.conftest import PREFIX, redis_meter

    meter = redis_meter()
    period = period_for(NOW)
    read(meter, "ttl-reader", 1)
    key = meter_key("ttl-reader", period)
    assert key == f"{PREFIX}:meter:ttl-reader:2099-11"
    expires = meter.client.expiretime(key)
    assert expires == int(period.expires_at.timestamp())
    assert expires > period.ends_at.timestamp()
    assert meter.client.ttl(f"{PREFIX}:funnel:2099-11-14") > 0
    settings.PAYWALL_REDIS_PREFIX = "paywall"  # the production namespace
    assert meter_key("ttl-reader", period) == "paywall:meter:ttl-reader:2099-11"


def test_database_reads_expire_with_the_period(reader_id):
    from paywall.meters.database import DatabaseMeter

    meter = DatabaseMeter()
    read(meter, reader_id, 1)
    meter.housekeep(now=period_for(NOW).expires_at)
    assert Meter.objects.filter(reader=reader_id).exists()
    meter.housekeep(now=datetime(2100, 1, 5, tzinfo=UTC))
    assert not Meter.objects.filter(reader=reader_id).exists()


def test_a_meter_store_that_cannot_be_reached_raises_meter_unavailable():
    meter = RedisMeter("redis://127.0.0.1:9/0")  # the discard port: nothing listens
    with pytest.raises(MeterUnavailable):
        read(meter, "anyone", 1)


def test_the_redis_meter_loads_its_script_again_when_the_server_has_lost_it(reader_id):
    from tests.paywall.conftest import redis_meter

    meter = redis_meter()
    read(meter, reader_id, 1)
    meter.client.script_flush()
    assert read(meter, reader_id, 2) == (True, 2)
    assert meter.client.script_exists(meter._read.sha) == [True]


def test_the_redis_meter_reconnects_when_the_server_dropped_its_connection(reader_id):
    """As after a Redis restart: the meter's connection is dead, the view still counts."""
    import redis
    from django.conf import settings

    from tests.paywall.conftest import redis_meter

    meter = redis_meter()
    read(meter, reader_id, 1)
    own = meter._connection()
    own.send_command("CLIENT", "ID")
    client_id = own.read_response()
    assert redis.Redis.from_url(settings.REDIS_URL).client_kill_filter(_id=client_id) == 1
    assert read(meter, reader_id, 2) == (True, 2)
