"""Behind Debian's nginx, as docs/deployment.md sets it up, every reader is a client of their
own: two readers at two loopback addresses meet separate limits, a forged X-Forwarded-For
moves nothing, and a crawler is verified by the address nginx saw."""

import http.client
import re
import shutil
import subprocess
import textwrap
import time
import urllib.parse
from dataclasses import dataclass

import pytest

from bench.server import Server, free_port
from tests.conftest import require_service
from tests.integration.conftest import CRAWLER_AGENT, _manage

READER_A, READER_B = "127.0.0.2", "127.0.0.3"
ACCOUNT, PASSWORD = "proxied-reader@example.org", "a-long-reader-password-42"
NGINX_CONF = """
    daemon off;
    pid {folder}/nginx.pid;
    error_log {folder}/error.log warn;
    events {{ worker_connections 256; }}
    http {{
        access_log off;
        client_body_temp_path {folder}/body;
        proxy_temp_path {folder}/proxy;
        fastcgi_temp_path {folder}/fastcgi;
        uwsgi_temp_path {folder}/uwsgi;
        scgi_temp_path {folder}/scgi;
        server {{
            listen 127.0.0.1:{port};
            location / {{
                proxy_pass http://127.0.0.1:{upstream};
                proxy_set_header Host $host;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_set_header X-Forwarded-Proto $scheme;
            }}
        }}
    }}
"""


@dataclass
class Answer:
    status: int
    body: str
    cookies: dict[str, str]
    location: str


@dataclass
class Proxy:
    port: int
    access_log: object
    upstream: int  # gunicorn's own port, for a client that goes round the proxy

    def request(self, method, path, *, source, headers=None, cookies=None, form=None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            set_cookies = {}
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                set_cookies[name] = rest.split(";", 1)[0]
            text = response.read().decode()
            return Answer(response.status, text, set_cookies, response.headers["Location"] or "")
        finally:
            connection.close()

    def form_post(self, path, *, source, fields, headers=None):
        """GET the form for its CSRF token and cookie, then POST it, as a browser would."""
        page = self.request("GET", path, source=source, headers=headers)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)[1]
        form = {"csrfmiddlewaretoken": token, **fields}
        return self.request(
            "POST", path, source=source, headers=headers, cookies=page.cookies, form=form
        )


@pytest.fixture(scope="module")
def proxy(site, tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    require_service("nginx", shutil.which(nginx) is not None, "apt-get install nginx-light")
    folder = tmp_path_factory.mktemp("nginx")
    env = {**site.env, "TRUSTED_PROXY_COUNT": "1", "FORWARDED_ALLOW_IPS": "127.0.0.1"}
    _manage(["manage.py", "shell", "-c", CREATE_ACCOUNT], env)
    server = Server(env=env, workers=2, log=folder / "gunicorn.log", access_log=True)
    server.start()
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(
        textwrap.dedent(NGINX_CONF).format(folder=folder, port=port, upstream=server.port)
    )
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(folder)])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                time.sleep(0.1)
        yield Proxy(port, access_log=folder / "gunicorn.log", upstream=server.port)
    finally:
        process.terminate()
        process.wait(timeout=10)
        server.stop()


CREATE_ACCOUNT = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user("proxied", "{ACCOUNT}", "{PASSWORD}")
EmailAddress.objects.create(user=user, email="{ACCOUNT}", verified=True, primary=True)
"""


def log_in(proxy, source, password, headers=None):
    fields = {"login": ACCOUNT, "password": password}
    return proxy.form_post("/accounts/login/", source=source, fields=fields, headers=headers)


def test_failed_log_ins_from_one_reader_do_not_lock_out_another(proxy):
    answers = [log_in(proxy, READER_A, "wrong-password").status for _n in range(6)]
    assert answers[:5] == [200] * 5 and answers[5] == 429
    # A forged header through the proxy is still reader A.
    forged = log_in(proxy, READER_A, PASSWORD, headers={"X-Forwarded-For": READER_B})
    assert forged.status == 429
    assert "Too many" in forged.body or "too many" in forged.body
    owner = log_in(proxy, READER_B, PASSWORD)
    assert owner.status == 302 and "/accounts/login/" not in owner.location


def alert_sign_up(proxy, source, n, headers=None):
    form = {"email": f"proxied-{source}-{n}@example.org"}
    return proxy.request("POST", "/alerts/", source=source, form=form, headers=headers).status


def test_the_alert_sign_up_limit_is_each_reader_s_own(proxy):
    assert [alert_sign_up(proxy, READER_A, n) for n in range(10)] == [200] * 10
    assert alert_sign_up(proxy, READER_A, 10) == 429
    assert alert_sign_up(proxy, READER_A, 11, headers={"X-Forwarded-For": "127.0.0.9"}) == 429
    assert alert_sign_up(proxy, READER_B, 0) == 200


def test_a_crawler_is_verified_by_the_address_the_proxy_saw(proxy, site):
    path = next(a["path"] for a in site.articles if not a["free"])
    agent = {"User-Agent": CRAWLER_AGENT}
    # The fake resolver (tests/fake_dns.py) knows 127.0.0.1 as Googlebot.
    crawler = proxy.request("GET", path, source="127.0.0.1", headers=agent)
    assert crawler.status == 200 and "reader" not in crawler.cookies
    impostor = proxy.request(
        "GET", path, source=READER_A, headers={**agent, "X-Forwarded-For": "127.0.0.1"}
    )
    assert impostor.status == 200 and "reader" in impostor.cookies


def test_the_access_log_names_the_reader_not_the_proxy(proxy):
    headers = {"User-Agent": "access-log-check", "X-Forwarded-For": "203.0.113.9"}
    assert proxy.request("GET", "/healthz/", source=READER_B, headers=headers).status == 200
    line = _logged(proxy.access_log, "access-log-check")
    assert READER_B in line and "203.0.113.9" not in line


def _logged(log, marker: str, seconds: float = 10) -> str:
    """The access log's line with `marker`: gunicorn writes it after the response is sent,
    so on a busy machine it may come a moment after the answer."""
    deadline = time.monotonic() + seconds
    while True:
        found = [line for line in log.read_text().splitlines() if marker in line]
        if found or time.monotonic() > deadline:
            assert found, f"no access log line with {marker!r}"
            return found[0]
        time.sleep(0.05)


def test_a_client_that_goes_round_the_proxy_is_its_own_address(proxy, site):
    """gunicorn is to listen where only the proxy reaches it; if it does not, a forged
    header still names nobody but the sender."""
    path = next(a["path"] for a in site.articles if not a["free"])
    direct = Proxy(proxy.upstream, access_log=proxy.access_log, upstream=proxy.upstream)
    headers = {"User-Agent": CRAWLER_AGENT, "X-Forwarded-For": "127.0.0.1"}
    forged = direct.request("GET", path, source=READER_A, headers=headers)
    assert forged.status == 200 and "reader" in forged.cookies
