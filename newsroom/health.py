"""/healthz/: can this web node reach what it needs to serve and to queue work?

Load balancers and the compose healthcheck poll it: 200 when the database, Redis and the
Celery broker all answer, 503 naming the failing one otherwise. Reasons stay in the log; the
public answer names only the exception class.
"""

import functools
import logging
import time
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from newsroom.celery import app as celery_app

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )


def _redis() -> None:
    _redis_client(settings.REDIS_URL).ping()


def _broker() -> None:
    with celery_app.connection_for_write(connect_timeout=TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=0, timeout=TIMEOUT_SECONDS)


def _run(name: str, check: Callable[[], None]) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # any failure of a dependency is a failed check, never a 500
        logger.warning("health check %s failed", name, exc_info=True)
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_safe
def healthz(request):
    checks = {
        name: _run(name, check) for name, check in (("database", _database), ("broker", _broker))
    }
    # The embedded set-up has no Redis to reach.
    checks["redis"] = (
        _run("redis", _redis) if settings.REDIS_URL else {"ok": True, "skipped": True}
    )
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
