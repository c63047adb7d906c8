"""Gunicorn serving the site as in production, for `make bench` and the load and fault tests.

The caller passes the whole environment (database, Redis, settings module); this module only
starts the server on a free loopback port, waits for /healthz/, and stops it; and runs the
benchmark's helpers that work on the site while it is measured.
"""

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = "postgres://postgres@127.0.0.1:5432"


class Place(NamedTuple):
    """Where a benchmark's data set lives. Each benchmark has its own database, Redis database
    and folder, so that two can run at once: bench/run.py's Redis db 9, bench/live.py's 8,
    bench/alerts.py's 10, bench/archive.py's 11."""

    database: str
    redis_url: str
    work: Path


def production_environment(*, database: str, redis_url: str, **extra: str) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, plain HTTP, a fresh secret, quiet logs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "false",
        "SECURE": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


GUNICORN = Path(sys.executable).with_name("gunicorn")


@contextlib.contextmanager
def helper_at_work(args: list[str], env: dict[str, str], *, seconds: float):
    """A helper (`python -m bench.<name> ...`) in a process of its own (its own database
    connection), working from the start of the block: it prints "ready" once set up, works
    for `seconds`, then prints one JSON line, which fills the dict yielded."""
    name = args[args.index("-m") + 1]
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    if process.stdout.readline().strip() != "ready":
        sys.exit(f"{name} did not start: exit {process.wait()}")
    done: dict = {}
    yield done
    output, _ = process.communicate(timeout=seconds + 60)
    if process.returncode:
        sys.exit(f"{name} failed: exit {process.returncode}")
    done.update(json.loads(output.splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(
        self,
        *,
        env: dict[str, str],
        workers: int,
        log: Path,
        timeout: int = 30,
        access_log: bool = False,
    ):
        self.env = env
        self.access_log = access_log
        self.workers = workers
        self.log = log
        self.timeout = timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        args = [
            str(GUNICORN),
            "newsroom.wsgi",
            "--config=python:newsroom.gunicorn_conf",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            f"--timeout={self.timeout}",
            "--access-logfile=-" if self.access_log else "--log-level=warning",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_healthy()

    def wait_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not become healthy in {seconds} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def _worker_memory_mb(self, path: str, field: str) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (VmRSS, MiB), pages shared with others included."""
        return self._worker_memory_mb("status", "VmRSS")

    def worker_pss_mb(self) -> list[float]:
        """Each worker's proportional share of resident memory (Pss, MiB)."""
        return self._worker_memory_mb("smaps_rollup", "Pss")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
