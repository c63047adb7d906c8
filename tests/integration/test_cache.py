"""The Redis cache backend fails soft: Redis away means misses, never errors."""

import pytest
import redis
from django.conf import settings

from newsroom.cache import FailSoftRedisCache
from tests.conftest import require_service
from tests.integration.test_health import closed_port

OPTIONS = {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}}


@pytest.fixture
def unreachable():
    return FailSoftRedisCache(f"redis://127.0.0.1:{closed_port()}/0", OPTIONS)


def test_reads_miss_and_writes_are_dropped_while_redis_is_away(unreachable, caplog):
    assert unreachable.get("story", "fallback") == "fallback"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.add("story", "x") is False
    assert unreachable.set("story", "x") is None
    unreachable.set_many({"a": 1, "b": 2})
    assert unreachable.get_or_set("story", lambda: "computed") == "computed"
    assert unreachable.delete("story") is False
    assert "Cache unreachable" in caplog.text


def test_counters_still_raise_rather_than_invent_a_count(unreachable):
    with pytest.raises(redis.ConnectionError):
        unreachable.incr("hits")


def test_with_redis_up_it_is_the_ordinary_redis_cache():
    require_service("Redis", bool(settings.REDIS_URL), "set REDIS_URL=redis://...")
    cache = FailSoftRedisCache(settings.REDIS_URL, {**OPTIONS, "KEY_PREFIX": "test-failsoft"})

    cache.set("story", {"headline": "Harbour reopens"}, 30)

    assert cache.get("story") == {"headline": "Harbour reopens"}
    assert cache.get_or_set("other", lambda: 7, 30) == 7
    assert cache.get("other") == 7
    cache.delete_many(["story", "other"])
