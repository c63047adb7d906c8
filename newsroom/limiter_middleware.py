"""What a request answers when the store its rate limits count in cannot be reached.

A limited form (sign-in, password reset, sign-in code, sign-up, alert sign-up) fails closed:
letting it through uncounted would open it to the floods its limit is there for, and a 500
would say we broke. It answers 503 with a page that asks to try again shortly, and a
Retry-After; the outage is logged as an error. Everything else fails soft (newsroom/cache.py).
"""

import logging

from django.shortcuts import render
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from newsroom.ratelimit import LimiterUnavailable

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Ours, and allauth's, whose rate limits take their locks in Redis (newsroom/cache.py).
UNREACHABLE = (LimiterUnavailable, RedisConnectionError, RedisTimeoutError)


class LimiterUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(
            exception, LimiterUnavailable | RedisConnectionError | RedisTimeoutError
        ):
            return None
        logger.error(
            "Rate limit store unreachable, %s %s refused: %s",
            request.method,
            request.path,
            exception,
        )
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
