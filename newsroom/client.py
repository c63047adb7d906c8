"""The client's address, as every rate limit and log line must see it.

Behind N proxies of our own (settings.TRUSTED_PROXY_COUNT), the client is the N-th address
from the right of X-Forwarded-For: each of our proxies appends the address it was reached
from, so everything further left was written by the client and may be anything. With no
trusted proxy, or a header shorter than the proxies we run (a request that reached the app
without passing all of them), the address is the connection's own.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if trusted <= 0:
        return remote
    forwarded = [ip.strip() for ip in request.headers.get("x-forwarded-for", "").split(",")]
    if len(forwarded) < trusted or not forwarded[-trusted]:
        return remote
    return forwarded[-trusted]
