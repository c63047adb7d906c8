"""The production meter: one Redis round trip per article view, a Lua script.

Keys, all with a TTL ("paywall" is PAYWALL_REDIS_PREFIX):
- paywall:meter:<reader>:<period>  a set of article ids, expiring a day after the period (a
  reader's first read lives in their cookie until they come back: `first_read`);
- paywall:funnel:<day>             a hash of "<article id>:<event>" counters, flushed into
  FunnelDay by the beat task (so anonymous views cause no database write).
"""

import threading
import uuid
from collections import defaultdict
from datetime import date, datetime

import redis
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError
from redis.exceptions import TimeoutError as RedisTimeoutError

from paywall.conf import app_settings
from paywall.meters.base import (
    EVENTS,
    MeterBase,
    MeterResult,
    MeterUnavailable,
    Period,
    first_result,
    funnel_events,
)
from paywall.models import FunnelDay

# KEYS: meter set, funnel hash. ARGV: article, limit, nudge_from, expire-at (unix), funnel TTL,
# carried article (0: none).
READ_SCRIPT = """
local article = ARGV[1]
local limit = tonumber(ARGV[2])
local count = redis.call('SCARD', KEYS[1])
local added = false
local function counted(member)
  if redis.call('SISMEMBER', KEYS[1], member) == 1 then return 1 end
  if count >= limit then return 0 end
  redis.call('SADD', KEYS[1], member)
  count = count + 1
  added = true
  return 1
end
if ARGV[6] ~= '0' then counted(ARGV[6]) end
local allowed = counted(article)
if added then redis.call('EXPIREAT', KEYS[1], ARGV[4]) end
redis.call('HINCRBY', KEYS[2], article .. ':views', 1)
if allowed == 0 then
  redis.call('HINCRBY', KEYS[2], article .. ':walls', 1)
elseif count >= tonumber(ARGV[3]) then
  redis.call('HINCRBY', KEYS[2], article .. ':nudges', 1)
end
redis.call('EXPIRE', KEYS[2], ARGV[5])
return {allowed, count}
"""

# KEYS: funnel hash. ARGV: funnel TTL, then the counters ("<article>:<event>") to add one to.
COUNT_SCRIPT = """
for i = 2, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 0
"""

# Takes a day's counters out of the way atomically, so increments during a flush are kept.
TAKE_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1
"""


def meter_key(reader: str, period: Period) -> str:
    return f"{app_settings.REDIS_PREFIX}:meter:{reader}:{period.key}"


def funnel_prefix() -> str:
    return f"{app_settings.REDIS_PREFIX}:funnel:"


def funnel_key(day: date) -> str:
    return f"{funnel_prefix()}{day.isoformat()}"


def flushing_prefix() -> str:
    return f"{app_settings.REDIS_PREFIX}:funnel-flushing:"


class RedisMeter(MeterBase):
    def __init__(self, url: str | None = None):
        self.client = redis.Redis.from_url(
            url or app_settings.REDIS_URL,
            socket_timeout=app_settings.REDIS_TIMEOUT,
            socket_connect_timeout=app_settings.REDIS_TIMEOUT,
            decode_responses=True,
        )
        self._read = self.client.register_script(READ_SCRIPT)
        self._take = self.client.register_script(TAKE_SCRIPT)
        self._count_script = self.client.register_script(COUNT_SCRIPT)
        self._local = threading.local()

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
        keys = [meter_key(reader, period), funnel_key(period.day)]
        args = [
            article_id,
            limit,
            nudge_from,
            int(period.expires_at.timestamp()),
            app_settings.FUNNEL_TTL,
            carried,
        ]
        try:
            allowed, count = self._script_call(self._read, keys, args)
        except redis.RedisError as error:
            raise MeterUnavailable(str(error)) from error
        return MeterResult(allowed=bool(allowed), count=int(count))

    def first_read(
        self, *, article_id: int, period: Period, limit: int, nudge_from: int
    ) -> MeterResult:
        result = first_result(limit)
        events = [name for name, n in funnel_events(result, nudge_from).items() if n]
        self._count(period.day, article_id, events)
        return result

    def _script_call(self, script, keys: list, args: list):
        """The script sent directly on this thread's connection: the client's command
        machinery, and then its pool's bookkeeping, each cost as much as the round trip
        itself on the article page (docs/benchmarks.md)."""
        connection = self._connection()
        try:
            try:
                connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
                return connection.read_response()
            except NoScriptError:  # the server has lost its scripts: a restart or a flush
                connection.send_command("EVAL", script.script, len(keys), *keys, *args)
                return connection.read_response()
        except (RedisConnectionError, RedisTimeoutError):
            connection.disconnect()  # a late reply would otherwise answer the next command
            raise

    def _connection(self):
        """This thread's connection, made like the client's pool makes its own, and checked
        the same way: one with unread data, or closed by the server (a restart), is
        opened anew."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            pool = self.client.connection_pool
            connection = pool.connection_class(**pool.connection_kwargs)
            self._local.connection = connection
        try:
            if connection.can_read():
                connection.disconnect()
        except (RedisConnectionError, RedisTimeoutError, OSError):
            connection.disconnect()
        return connection

    def counted(self, *, reader: str, article_id: int, period: Period) -> bool:
        connection = self._connection()
        try:
            connection.send_command("SISMEMBER", meter_key(reader, period), article_id)
            return bool(connection.read_response())
        except (RedisConnectionError, RedisTimeoutError) as error:
            connection.disconnect()
            raise MeterUnavailable(str(error)) from error
        except redis.RedisError as error:
            raise MeterUnavailable(str(error)) from error

    def bump(self, *, event: str, article_id: int, day: date) -> None:
        self._count(day, article_id, [event])

    def _count(self, day: date, article_id: int, events: list[str]) -> None:
        fields = [f"{article_id}:{event}" for event in events]
        try:
            self._script_call(
                self._count_script, [funnel_key(day)], [app_settings.FUNNEL_TTL, *fields]
            )
        except redis.RedisError as error:
            raise MeterUnavailable(str(error)) from error

    def housekeep(self, *, now: datetime) -> int:
        """Expired meter sets go by their own TTL; only the funnel needs moving."""
        funnel, flushing = funnel_prefix(), flushing_prefix()
        for key in self.client.scan_iter(match=f"{funnel}*"):
            taken = f"{flushing}{key.removeprefix(funnel)}:{uuid.uuid4().hex}"
            self._take(keys=[key, taken], args=[app_settings.FUNNEL_TTL])
        touched = 0
        for key in self.client.scan_iter(match=f"{flushing}*"):
            day = date.fromisoformat(key.removeprefix(flushing).split(":")[0])
            touched += _funnel_add(day, self.client.hgetall(key))
            self.client.delete(key)
        return touched


@transaction.atomic
def _funnel_add(day: date, counters: dict[str, str]) -> int:
    rows: dict[int, dict[str, int]] = defaultdict(dict)
    for field, value in counters.items():
        article_id, event = field.split(":")
        if event in EVENTS:
            rows[int(article_id)][event] = int(value)
    for article_id, increments in rows.items():
        FunnelDay.objects.add(day=day, article_id=article_id, **increments)
    return len(rows)
