"""The local set-up's files (database, secret key, mail) are readable by their owner only.

Real processes, started the way a developer starts them: `make` creates the folder, the key
and the database; bin/serve's web worker writes a mail. Each runs with the permissive umask
of a usual login (022), so only what the Makefile and bin/serve do can make the files private.
"""

import os
import re
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LEFT_OUT = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "CELERY_BROKER_URL",
    "CACHE_DIR",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DEBUG",
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def var_dir(tmp_path):
    return tmp_path / "var"


@pytest.fixture
def local_env(var_dir):
    env = {k: v for k, v in os.environ.items() if k not in LEFT_OUT}
    return env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings", "VAR_DIR": str(var_dir)}


@pytest.fixture
def made(var_dir, local_env):
    """`make` as `make run` calls it for the key and the database, the venv taken as built."""
    command = ["make", "-o", "install", f"BIN={BIN}", f"PYTHON={sys.executable}"]
    command += [f"{var_dir}/secret_key", "migrate"]
    result = subprocess.run(
        command, cwd=ROOT, env=local_env, umask=0o022, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return var_dir


def test_make_creates_the_folder_key_and_database_for_the_owner_only(made):
    assert _mode(made) == 0o700
    assert _mode(made / "secret_key") == 0o600
    database = made / "newsroom.sqlite3"
    assert _mode(database) == 0o600
    # SQLite gives its journal files the database's mode, whatever the umask of the writer.
    previous = os.umask(0o022)
    try:
        connection = sqlite3.connect(database)
        connection.execute("CREATE TABLE probe (id integer)")
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        for suffix in ("-wal", "-shm"):
            assert _mode(database.with_name(database.name + suffix)) == 0o600
        connection.close()
    finally:
        os.umask(previous)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(opener, url: str, deadline: float) -> str:
    while True:
        try:
            with opener.open(url, timeout=30) as response:
                return response.read().decode()
        except OSError:  # not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_mail_written_by_the_served_site_is_for_the_owner_only(made, local_env):
    port = _free_port()
    # DEBUG: static files from the finders, so that no collectstatic is needed for this run.
    env = local_env | {"PORT": str(port), "WEB_CONCURRENCY": "1", "DEBUG": "true"}
    env |= {"SECURE": "false", "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=env,
        umask=0o022,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        reset = f"http://127.0.0.1:{port}/accounts/password/reset/"
        page = _get(opener, reset, deadline=time.monotonic() + 90)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token, "email": "nobody@example.org"}
        opener.open(reset, urllib.parse.urlencode(form).encode(), timeout=30).close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    mails = list((made / "mail").iterdir())
    assert mails, "the password reset wrote no mail"
    assert _mode(made / "mail") == 0o700
    assert {_mode(mail) for mail in mails} == {0o600}
