"""Django's Redis cache, made to degrade to a miss when Redis cannot be reached.

The cache only saves work, so an unreachable Redis must not take pages down (as the paywall's
meter fails open, what is cached does too). While Redis is away, reads are misses and
writes are dropped with a warning in the log; everything works again when it answers.
Counters (`incr`) still raise: a made-up count would be worse than an error. So do the locks
that allauth's rate limits take around their counts (`add` of an `allauth:rl:` key): failing
soft, each looked taken for a second and then refused the form as "too many tries".
"""

import functools
import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RATE_LIMIT_LOCKS = "allauth:rl:"


def _fail_soft(method, fallback):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            logger.warning("Cache unreachable, %s skipped: %s", method.__name__, error)
            return fallback(*args)

    return wrapper


class FailSoftRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        """One client per pool: redis-py builds its command tables anew for each client."""
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]

    add_or_raise = RedisCacheClient.add
    get = _fail_soft(RedisCacheClient.get, lambda key, default: default)
    get_many = _fail_soft(RedisCacheClient.get_many, lambda keys: {})
    has_key = _fail_soft(RedisCacheClient.has_key, lambda key: False)
    add = _fail_soft(RedisCacheClient.add, lambda key, value, timeout: False)
    set = _fail_soft(RedisCacheClient.set, lambda key, value, timeout: None)
    set_many = _fail_soft(RedisCacheClient.set_many, lambda data, timeout: list(data))
    touch = _fail_soft(RedisCacheClient.touch, lambda key, timeout: False)
    delete = _fail_soft(RedisCacheClient.delete, lambda key: False)
    delete_many = _fail_soft(RedisCacheClient.delete_many, lambda keys: None)
    clear = _fail_soft(RedisCacheClient.clear, lambda: False)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not key.startswith(RATE_LIMIT_LOCKS):
            return super().add(key, value, timeout, version)
        key = self.make_and_validate_key(key, version=version)
        return self._cache.add_or_raise(key, value, self.get_backend_timeout(timeout))
