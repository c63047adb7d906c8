"""Pictures fetched by address: public hosts only, the checked address connected to, every
redirect checked again, size and time capped. A real HTTP server on loopback plays the old
site's media host (allowed by `IMPORT_FETCH_ALLOWED_NETWORKS` where a test says so); the
DNS is the injected one."""

import http.server
import socket
import ssl
import subprocess
import threading
import time
import urllib.parse

import pytest

from articles.importers import fetch
from articles.importers.fetch import FetchFailed, FetchRefused, address_refusal, picture_fetch
from articles.importers.media import MediaMissing, MediaSource
from tests.fake_dns import MEDIA_HOST, FakeResolver

from .conftest import picture_bytes

PICTURE = picture_bytes((40, 30))


@pytest.fixture
def media_host(settings):
    """A media host at media.example (loopback, allowed) that records the Host it was sent."""
    settings.IMPORT_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.IMPORT_FETCH_RESOLVER = "tests.fake_dns.MediaDNS"
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.headers["Host"], self.path))
            if self.path == "/a.png":
                self._send(PICTURE)
            elif self.path.startswith("/to/"):
                self.send_response(302)
                self.send_header("Location", self.path.removeprefix("/to/"))
                self.end_headers()
            elif urllib.parse.unquote(self.path) == "/été en mer.png":  # sent quoted
                self._send(PICTURE)
            elif self.path == "/loop":
                self.send_response(301)
                self.send_header("Location", "/loop")
                self.end_headers()
            elif self.path == "/big":  # no Content-Length: the size is known only by reading
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"x" * 5000)
            elif self.path == "/slow":
                self.send_response(200)
                self.end_headers()
                for _ in range(40):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            else:
                self.send_error(404)

        def _send(self, body):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{MEDIA_HOST}:{server.server_port}", seen
    server.shutdown()


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "reserved"),  # noqa: S104
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "reserved"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "metadata"),
        ("64:ff9b::a9fe:a9fe", "metadata"),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
    ],
)
def test_only_public_addresses_may_be_fetched(address, reason):
    found = address_refusal(address)
    assert (found is None) if reason is None else (reason in found)


def test_an_allowed_network_is_opened_and_nothing_else():
    import ipaddress

    allowed = [ipaddress.ip_network("10.1.2.0/24")]
    assert address_refusal("10.1.2.3", allowed) is None
    assert "private" in address_refusal("10.1.3.3", allowed)


def test_a_picture_comes_from_the_checked_address_under_its_own_name(media_host):
    base, seen = media_host
    assert picture_fetch(f"{base}/a.png") == PICTURE
    assert seen == [(base.removeprefix("http://"), "/a.png")]


def test_the_name_is_resolved_once_so_a_changed_answer_cannot_redirect_the_connection(
    media_host,
):
    """DNS rebinding: the resolver's second answer would be the inside; it is never asked."""

    class Rebinding(FakeResolver):
        def forward(self, host):
            self.lookups += 1
            return {"127.0.0.1"} if self.lookups == 1 else {"10.0.0.5"}

    base, seen = media_host
    resolver = Rebinding()
    assert picture_fetch(f"{base}/a.png", resolver=resolver) == PICTURE
    assert resolver.lookups == 1 and len(seen) == 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://intranet.example/a.png", "private"),
        ("http://metadata.example/latest/meta-data/", "metadata"),
        ("http://mixed.example/a.png", "private"),  # one inside address is enough
        ("http://mapped.example/a.png", "loopback"),
        ("http://[::1]/a.png", "loopback"),
        ("http://127.0.0.1/a.png", "loopback"),
        ("file:///etc/passwd", "not an http or https"),
        ("ftp://media.example/a.png", "not an http or https"),
    ],
)
def test_the_inside_is_refused_before_any_connection(settings, url, reason):
    settings.IMPORT_FETCH_RESOLVER = "tests.fake_dns.MediaDNS"
    with pytest.raises((FetchRefused, FetchFailed), match=reason):
        picture_fetch(url)


@pytest.mark.parametrize("host", ["0x7f000001", "2130706433", "localhost"])
def test_the_system_resolver_s_answer_is_what_is_checked(settings, host):
    """Shorthands the C library reads as loopback are refused by what they resolve to."""
    settings.IMPORT_FETCH_RESOLVER = "articles.importers.fetch.SystemResolver"
    with pytest.raises(FetchRefused, match="loopback"):
        picture_fetch(f"http://{host}/a.png")


def test_every_redirect_is_checked_again(media_host):
    base, _seen = media_host
    assert picture_fetch(f"{base}/to/{base}/a.png") == PICTURE
    for inside in (
        "http://169.254.169.254/latest/meta-data/",
        "http://intranet.example/a.png",
        "http://[::ffff:10.0.0.1]/a.png",
    ):
        with pytest.raises(FetchRefused, match="its host is"):
            picture_fetch(f"{base}/to/{inside}")
    with pytest.raises(FetchRefused, match="not an http or https"):
        picture_fetch(f"{base}/to/file:///etc/passwd")
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        picture_fetch(f"{base}/loop")


def test_loopback_is_refused_unless_allowed(media_host, settings):
    base, seen = media_host
    settings.IMPORT_FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(FetchRefused, match="loopback"):
        picture_fetch(f"{base}/a.png")
    assert seen == []


def test_size_is_capped_while_reading(media_host, settings):
    base, _seen = media_host
    settings.IMAGE_MAX_BYTES = len(PICTURE) - 1  # and under the 5000 bytes of /big
    with pytest.raises(FetchRefused, match="larger than an upload"):
        picture_fetch(f"{base}/big")
    with pytest.raises(FetchRefused, match="larger than an upload"):
        picture_fetch(f"{base}/a.png")  # declared larger: not read at all


def test_a_trickle_is_cut_at_the_deadline(media_host, settings):
    base, _seen = media_host
    settings.IMPORT_FETCH_TIMEOUT_SECONDS = 1
    with pytest.raises(FetchFailed):
        picture_fetch(f"{base}/slow")


def test_the_importer_reports_a_refused_picture_and_keeps_the_host(media_host, settings):
    base, _seen = media_host
    source = MediaSource()
    with pytest.raises(MediaMissing, match="its host is a private address"):
        source.fetch("http://intranet.example/a.png")
    assert source.fetch(f"{base}/a.png").name.endswith(".png")
    assert source.dead_hosts == set()


@pytest.fixture
def tls_media_host(tmp_path, settings):
    """media.example over https on loopback, with a certificate of its own for that name."""
    settings.IMPORT_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.IMPORT_FETCH_RESOLVER = "tests.fake_dns.MediaDNS"
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={MEDIA_HOST}", "-addext", f"subjectAltName=DNS:{MEDIA_HOST}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(PICTURE)))
            self.end_headers()
            self.wfile.write(PICTURE)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://{MEDIA_HOST}:{server.server_port}", cert
    server.shutdown()


def test_https_is_fetched_from_the_checked_address_with_the_name_s_certificate(
    tls_media_host, monkeypatch
):
    base, cert = tls_media_host
    with pytest.raises(FetchFailed):  # a certificate no authority signed
        picture_fetch(f"{base}/a.png")
    trusting = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(fetch.ssl, "create_default_context", lambda: trusting)
    assert picture_fetch(f"{base}/a.png") == PICTURE  # checked against media.example


@pytest.mark.parametrize(
    "url",
    [
        "http://media.example:99999/a.png",  # a port out of range
        "http://media.example:eighty/a.png",
        f"http://{'a' * 64}.example/a.png",  # a label longer than DNS carries
        "http://media..example/a.png",  # an empty label
        "http://[x/a.png",
    ],
)
def test_an_address_that_cannot_be_read_is_refused_and_reported(settings, url):
    settings.IMPORT_FETCH_RESOLVER = "articles.importers.fetch.SystemResolver"
    with pytest.raises(FetchRefused, match="not a valid"):
        picture_fetch(url)
    with pytest.raises(MediaMissing, match="not a valid"):
        MediaSource().fetch(url)


def test_the_system_resolver_finds_nothing_for_a_name_dns_cannot_carry():
    assert fetch.SystemResolver().forward(f"{'a' * 64}.example") == set()


@pytest.fixture
def trickling_host(settings):
    """A host that sends its headers a byte at a time, each well within a read's timeout,
    and would complete a good answer after 8 s; `cut` is set when the fetcher hangs up
    before that."""
    settings.IMPORT_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.IMPORT_FETCH_RESOLVER = "tests.fake_dns.MediaDNS"
    listener = socket.create_server(("127.0.0.1", 0))
    answer = b"HTTP/1.0 200 OK\r\nX-Slow: " + b"x" * 40 + b"\r\n"
    answer += f"Content-Length: {len(PICTURE)}\r\n\r\n".encode()
    cut = threading.Event()

    def serve():
        connection, _address = listener.accept()
        with connection:
            connection.recv(4096)
            try:
                for byte in answer:
                    connection.sendall(bytes([byte]))
                    time.sleep(8 / len(answer))
                connection.sendall(PICTURE)
            except OSError:
                cut.set()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    yield f"http://{MEDIA_HOST}:{listener.getsockname()[1]}", server, cut
    listener.close()


def test_headers_trickled_past_the_deadline_are_cut(trickling_host, settings):
    base, server, cut = trickling_host
    settings.IMPORT_FETCH_TIMEOUT_SECONDS = 1
    with pytest.raises(FetchFailed, match="took longer than 1 s"):
        picture_fetch(f"{base}/a.png")
    server.join(timeout=15)
    assert cut.is_set()  # it hung up mid-headers, not once they were all read


def test_a_file_name_in_utf_8_or_with_spaces_is_fetched_and_a_bad_one_spares_its_host(
    media_host,
):
    base, _seen = media_host
    assert picture_fetch(f"{base}/été en mer.png") == PICTURE
    source = MediaSource()
    with pytest.raises(MediaMissing, match="answered 404"):
        source.fetch(f"{base}/a\x01b.png")
    assert source.dead_hosts == set()
    assert source.fetch(f"{base}/a.png").name.endswith(".png")


def test_a_hostile_path_into_the_media_folder_is_missing_not_a_crash(media_dir):
    source = MediaSource(folder=media_dir, fetch_urls=False)
    for name in ("a%00b.png", "x" * 300 + ".png"):
        with pytest.raises(MediaMissing):
            source.fetch(f"https://old.example/wp-content/uploads/{name}")
