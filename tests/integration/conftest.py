"""A served site for the load and fault tests: gunicorn with production settings on its own
throwaway PostgreSQL and Redis, content built through the product's services."""

import http.client
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.server import ROOT, Server
from tests.conftest import require_service
from tests.integration.chromium import ARTIFACTS
from tests.integration.services import ThrowawayPostgres, ThrowawayRedis, postgres_bin

SECRET_KEY = "served-site-under-test-" + "k" * 40
CRAWLER_AGENT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) NewsroomLoadTest/1.0"


@dataclass
class Reply:
    status: int
    body: str
    cookies: dict[str, str]
    started: float
    ended: float


@dataclass
class Site:
    server: Server
    postgres: ThrowawayPostgres
    redis: ThrowawayRedis
    articles: list[dict]
    session_cookie: str
    sessions: list[str]
    env: dict[str, str] = field(repr=False)

    def get(
        self,
        path: str,
        *,
        cookies: dict[str, str] | None = None,
        agent: str = BROWSER_AGENT,
        source: str = "127.0.0.1",
    ) -> Reply:
        """One request on a new connection (gunicorn's sync workers close each one)."""
        headers = {"User-Agent": agent}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        started = time.monotonic()
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.server.port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read().decode()
            set_cookies = {}
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                set_cookies[name] = rest.split(";", 1)[0]
            return Reply(response.status, body, set_cookies, started, time.monotonic())
        except (OSError, http.client.HTTPException):
            return Reply(0, "", {}, started, time.monotonic())
        finally:
            connection.close()


def _manage(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    require_service(
        "PostgreSQL server binaries", bool(postgres_bin("initdb")), "apt-get install postgresql"
    )
    require_service("redis-server", bool(shutil.which("redis-server")), "apt-get install redis")
    folder = tmp_path_factory.mktemp("served-site")
    postgres, redis_server = ThrowawayPostgres(), ThrowawayRedis()
    server = None
    try:
        postgres.start()
        postgres.create_database()
        redis_server.start()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.integration.server_settings",
            "DEBUG": "false",
            "SECURE": "false",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": postgres.url(),
            "REDIS_URL": redis_server.url,
            "CELERY_BROKER_URL": redis_server.url,
            "MEDIA_ROOT": str(folder / "media"),
            "CACHE_DIR": str(folder / "cache"),
            "STATIC_ROOT": str(folder / "static"),
            "LOG_LEVEL": "WARNING",
        }
        # Production settings serve hashed static names from the manifest collectstatic writes.
        _manage(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
        _manage(["manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
        data = json.loads(_manage(["-m", "tests.integration.site_data"], env).splitlines()[-1])
        server = Server(env=env, workers=3, log=folder / "gunicorn.log")
        server.start()
        yield Site(
            server=server,
            postgres=postgres,
            redis=redis_server,
            articles=data["articles"],
            session_cookie=data["session_cookie"],
            sessions=data["sessions"],
            env=env,
        )
    finally:
        if server:
            server.stop()
        redis_server.remove()
        postgres.remove()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The screenshots' folder (tests/integration/chromium.py)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
