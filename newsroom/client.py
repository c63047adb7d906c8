"""The client's address, as every rate limit, crawler check and log line must see it.

Behind N proxies of our own (settings.TRUSTED_PROXY_COUNT), the client is the N-th address
from the right of X-Forwarded-For: each of our proxies appends the address it was reached
from, so everything further left was written by the client and may be anything. With no
trusted proxy, or a header shorter than the proxies we run (a request that reached the app
without passing all of them), the address is the connection's own.
"""

from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest


def forwarded_client(environ: Mapping[str, str], *, trusted: int) -> str:
    """From a WSGI environ (a request's META), behind `trusted` proxies."""
    remote = environ.get("REMOTE_ADDR", "")
    if trusted <= 0:
        return remote
    forwarded = [ip.strip() for ip in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < trusted or not forwarded[-trusted]:
        return remote
    return forwarded[-trusted]


def client_address(request: HttpRequest) -> str:
    return forwarded_client(request.META, trusted=settings.TRUSTED_PROXY_COUNT)
