"""Fetching a picture named by an export, without letting the export reach the inside.

An export is a file from elsewhere: a picture's address in it may name this machine, the
private network or the cloud's metadata service. So a fetch resolves the host once, refuses
unless every address is public (`address_refusal`), and connects to the address it checked,
with the name only in the Host header and the TLS handshake: a DNS answer that changes
between check and connect changes nothing. Every redirect is a new fetch, checked the same
way. Only http and https, at most `IMAGE_MAX_BYTES`, and one deadline for the whole fetch,
redirects and a slow trickle of bytes included: a watchdog shuts the socket when it passes,
whatever the fetch is waiting for (the connection, the TLS handshake, the headers, which
http.client caps at 100 lines of 64 KiB, or the body). An address that cannot be read (a
port out of range, a host name no DNS can carry) is refused like any other.
`IMPORT_FETCH_ALLOWED_NETWORKS` opens chosen networks (an old site's media host on the
intranet); nothing else is opened.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.parse

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
URL_SAFE = "/%:@!$&'()*+,;=?~[]"  # what a path or query keeps as it is; the rest is quoted
CHUNK_BYTES = 64 * 1024
# Cloud metadata services outside the ranges `is_global` already refuses (AWS's IPv6 one is
# in fd00::/8, Alibaba's in the shared 100.64.0.0/10; both refused anyway, named here so a
# change of the standard library's tables cannot open them).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchRefused(Exception):
    """Why an address was not fetched, in words for the import's report."""


class FetchFailed(Exception):
    """The host could not be reached or did not finish answering in time."""


class SystemResolver:
    """The system's DNS; a test injects another by dotted path (`IMPORT_FETCH_RESOLVER`)."""

    def forward(self, host: str) -> set[str]:
        try:
            return {info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
        except (OSError, UnicodeError):  # UnicodeError: a name the DNS cannot carry
            return set()


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries, by whichever translation names it."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: str, allowed=()) -> str | None:
    """Why an import may not connect to this address, or None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # a zone index names no other host
    if any(ip in network for network in allowed):
        return None
    inner = _embedded_ipv4(ip) if ip.version == 6 else None
    if inner is not None:
        reason = address_refusal(str(inner), allowed)
        if reason:
            return reason
    if ip in METADATA_ADDRESSES:
        return _("a cloud metadata address")
    if ip.is_loopback:
        return _("a loopback address")
    if ip.is_link_local:
        return _("a link-local address")
    if ip.is_multicast:
        return _("a multicast address")
    if ip.is_unspecified or ip.is_reserved:  # 0.0.0.0 reaches this machine
        return _("a reserved address")
    if ip.is_private:
        return _("a private address")
    if not ip.is_global:
        return _("a reserved address")
    return None


def _allowed_networks():
    return [
        ipaddress.ip_network(network, strict=False)
        for network in settings.IMPORT_FETCH_ALLOWED_NETWORKS
    ]


def _addresses(host: str, resolver) -> list[str]:
    """The host's addresses once checked; refused when any of them is not public."""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = sorted(resolver.forward(host))
    if not addresses:
        raise FetchFailed(_("its host has no address"))
    allowed = _allowed_networks()
    for address in addresses:
        reason = address_refusal(address, allowed)
        if reason:
            raise FetchRefused(_("its host is %s") % reason)
    return addresses


class _Pinned:
    """Connects to the address given, whatever the host's name resolves to now, and keeps
    the socket (http.client lets go of it once a response that ends with the connection
    has begun) so that the watchdog can shut it and each read be given what is left."""

    def __init__(self, host, port, *, address, deadline, **options):
        super().__init__(host, port, timeout=_remaining(deadline), **options)
        self.address = address
        self.socket = None
        self.expired = False
        self.watchdog = threading.Timer(_remaining(deadline), self.cut)
        self.watchdog.daemon = True
        self.watchdog.start()

    def connect(self):
        self.sock = self.socket = socket.create_connection((self.address, self.port), self.timeout)
        if self.expired:
            raise TimeoutError
        self.sock = self.socket = self.secured(self.socket)

    def secured(self, sock):
        return sock

    def cut(self):
        """The deadline passed: wake whatever read or handshake waits on the socket. The
        plain socket's shutdown, also under TLS, whose own would unset its state under the
        reading thread."""
        self.expired = True
        if self.socket is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self.socket, socket.SHUT_RDWR)

    def close(self):
        self.watchdog.cancel()
        super().close()
        if self.socket is not None:  # http.client may have let go of it already
            self.socket.close()


class _PinnedHTTP(_Pinned, http.client.HTTPConnection):
    pass


class _PinnedHTTPS(_Pinned, http.client.HTTPSConnection):
    """The certificate is checked against the host's name, as for any https request."""

    def __init__(self, host, port, *, address, deadline):
        super().__init__(
            host, port, address=address, deadline=deadline, context=ssl.create_default_context()
        )

    def secured(self, sock):
        """The handshake runs once the watchdog can reach the TLS socket (wrapping detaches
        the plain one), so that a slow handshake is cut at the deadline too."""
        tls = self._context.wrap_socket(
            sock, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.sock = self.socket = tls
        if self.expired:
            raise TimeoutError
        tls.do_handshake()
        return tls


def _too_long() -> FetchFailed:
    return FetchFailed(_("it took longer than %d s") % settings.IMPORT_FETCH_TIMEOUT_SECONDS)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _too_long()
    return left


def _get(parts: urllib.parse.SplitResult, address: str, deadline: float):
    """One GET to the checked address: the open connection and its response."""
    secure = parts.scheme == "https"
    connection_class = _PinnedHTTPS if secure else _PinnedHTTP
    port = parts.port or (443 if secure else 80)
    connection = connection_class(parts.hostname, port, address=address, deadline=deadline)
    # As a browser sends it: exports keep file names in UTF-8 and with spaces.
    target = urllib.parse.quote(parts.path or "/", safe=URL_SAFE)
    if parts.query:
        target += "?" + urllib.parse.quote(parts.query, safe=URL_SAFE)
    try:
        connection.request("GET", target, headers={"User-Agent": "Newsroom importer"})
        return connection, connection.getresponse()
    except BaseException:
        connection.close()
        raise


def _body(connection, response, deadline: float, limit: int) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchRefused(_("larger than an upload may be"))
    chunks, size = [], 0
    while True:
        connection.socket.settimeout(_remaining(deadline))
        chunk = response.read1(CHUNK_BYTES)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchRefused(_("larger than an upload may be"))
        chunks.append(chunk)


def _connected(parts, addresses, deadline):
    """The first of the checked addresses that answers."""
    error = None
    for address in addresses:
        try:
            return _get(parts, address, deadline)
        except http.client.InvalidURL as invalid:  # this picture's fault, not its host's
            raise FetchRefused(_("not a valid address")) from invalid
        except (OSError, http.client.HTTPException) as failure:
            error = failure
        if time.monotonic() >= deadline:
            raise _too_long() from error
    raise FetchFailed(_("its host did not answer")) from error


def _split(url: str) -> urllib.parse.SplitResult:
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (read for its check: a port out of range or not a number)
    except ValueError as error:
        raise FetchRefused(_("not a valid address")) from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(_("not an http or https address"))
    try:
        parts.hostname.encode("idna")
    except UnicodeError as error:
        raise FetchRefused(_("not a valid host name")) from error
    return parts


def picture_fetch(url: str, *, resolver=None) -> bytes:
    """The bytes at a public http(s) address; raises FetchRefused or FetchFailed. A status
    other than 200 is FetchRefused: the host answered, and may serve the next picture."""
    resolver = resolver or import_string(settings.IMPORT_FETCH_RESOLVER)()
    deadline = time.monotonic() + settings.IMPORT_FETCH_TIMEOUT_SECONDS
    for _redirect in range(MAX_REDIRECTS + 1):
        parts = _split(url)
        connection, response = _connected(parts, _addresses(parts.hostname, resolver), deadline)
        try:
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urllib.parse.urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise FetchRefused(_("the address answered %d") % response.status)
            return _body(connection, response, deadline, settings.IMAGE_MAX_BYTES)
        except (OSError, http.client.HTTPException) as error:
            if connection.expired:
                raise _too_long() from error
            raise FetchFailed(_("its host did not finish answering")) from error
        finally:
            connection.close()
    raise FetchRefused(_("more than %d redirects") % MAX_REDIRECTS)
