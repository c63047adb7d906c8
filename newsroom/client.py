"""The client's address, as every rate limit, crawler check and log line must see it.

Behind N proxies of our own (settings.TRUSTED_PROXY_COUNT), the client is the N-th address
from the right of X-Forwarded-For: each of our proxies appends the address it was reached
from, so everything further left was written by the client and may be anything. The header
counts only on a connection from the nearest proxy (settings.FORWARDED_ALLOW_IPS, as gunicorn
reads it): anyone else who reaches the app directly is the address they connect from. So is
a request whose header is shorter than the proxies we run.

A rate limit counts a client by `client_key`: an IPv6 client by its /64, the block one home
or server is given, so that walking through the addresses of one block is one client.
"""

import functools
import ipaddress
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.http import HttpRequest


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple | None:
    """None stands for "*", any address."""
    if "*" in proxies:
        return None
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _from_proxy(remote: str, proxies: Iterable[str]) -> bool:
    networks = _networks(tuple(proxies))
    if networks is None:
        return True
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(address in network for network in networks)


def forwarded_client(environ: Mapping[str, str], *, trusted: int, proxies: Iterable[str]) -> str:
    """From a WSGI environ (a request's META), behind `trusted` proxies, the nearest of which
    connects from one of `proxies`."""
    remote = environ.get("REMOTE_ADDR", "")
    if trusted <= 0 or not _from_proxy(remote, proxies):
        return remote
    forwarded = [ip.strip() for ip in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < trusted or not forwarded[-trusted]:
        return remote
    return forwarded[-trusted]


def client_address(request: HttpRequest) -> str:
    return forwarded_client(
        request.META, trusted=settings.TRUSTED_PROXY_COUNT, proxies=settings.FORWARDED_ALLOW_IPS
    )


IPV6_CLIENT_PREFIX = 64


def client_key(request: HttpRequest) -> str:
    """The client as a rate limit counts it: an IPv4 address, or an IPv6 address's /64."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))
