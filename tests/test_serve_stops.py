"""`make run` (bin/serve) stops on SIGTERM to its process group, as Ctrl+C or a supervisor
sends it: gunicorn, the Celery worker, its pool and its beat are all gone within 10 seconds."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from bench.server import free_port

ROOT = Path(__file__).resolve().parents[1]
STOP_SECONDS = 10


def processes_marked(marker: str) -> list[int]:
    """Every process that inherited the environment variable this test set."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if f"SERVE_TEST_MARKER={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def wait_until_serving(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"bin/serve did not answer at {url}")


def test_sigterm_to_the_process_group_stops_everything(tmp_path):
    marker = uuid.uuid4().hex
    port = free_port()
    env = {
        **os.environ,
        "SERVE_TEST_MARKER": marker,
        "PORT": str(port),
        "SECRET_KEY": "serve-test-secret-key-0123456789-0123456789",
        "SECURE": "false",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "filesystem://",
        "CACHE_DIR": str(tmp_path / "cache"),
        "WEB_CONCURRENCY": "2",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    serve = subprocess.Popen(
        ["bin/serve"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/healthz/")
        # The script, the web server and its two workers, the Celery main process, its pool
        # of two and its beat: the hang came from the pool, so all are up before the signal.
        deadline = time.monotonic() + 60
        while len(processes_marked(marker)) < 8 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(processes_marked(marker)) >= 8
        os.killpg(serve.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        while processes_marked(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_marked(marker) == []
        assert serve.wait(timeout=1) is not None
    finally:
        for pid in processes_marked(marker):
            os.kill(pid, signal.SIGKILL)
