"""Throwaway PostgreSQL and Redis servers for the load and fault tests.

Each runs from a temporary folder on a spare loopback port, so that stopping or restarting it
never touches the shared services. Both run as children of the test process and are told to
stop if it dies (setpriv --pdeathsig), so an interrupted run leaves nothing behind.
PostgreSQL refuses to run as root: as root, it runs as the postgres user.
"""

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import redis

from bench.server import free_port

DIE_WITH_PARENT = ["setpriv", "--pdeathsig=TERM"]


def postgres_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _wait(ready, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start in {seconds} s")
        time.sleep(0.05)


class _Child:
    """A server process of the test's own, with its output in a log file of its folder."""

    stop_signal = signal.SIGKILL

    def __init__(self, prefix: str):
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def _spawn(self, args: list[str], log_name: str) -> None:
        with (self.folder / log_name).open("ab") as log:
            self.process = subprocess.Popen(
                [*DIE_WITH_PARENT, *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.folder,
            )

    def _signal(self, signum: int) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signum)
            self.process.wait(timeout=60)

    def remove(self) -> None:
        self._signal(self.stop_signal)
        shutil.rmtree(self.folder, ignore_errors=True)


class ThrowawayPostgres(_Child):
    stop_signal = signal.SIGQUIT  # immediate shutdown

    def __init__(self):
        super().__init__("newsroom-pg-")
        self.data = self.folder / "data"
        root = os.geteuid() == 0
        self.as_postgres = (
            ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] if root else []
        )
        if root:
            shutil.chown(self.folder, user="postgres", group="postgres")

    def url(self, database: str = "newsroom") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _answers(self) -> bool:
        try:
            psycopg.connect(self.url("postgres"), connect_timeout=1).close()
        except psycopg.OperationalError:
            return False
        return True

    def start(self) -> None:
        if not self.data.exists():
            initdb = [
                postgres_bin("initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
            ]
            subprocess.run(
                [*self.as_postgres, *initdb, "--no-sync"],
                check=True,
                capture_output=True,
                cwd=self.folder,
            )
        settings = ["listen_addresses=127.0.0.1", "fsync=off", "full_page_writes=off"]
        args = [postgres_bin("postgres"), "-D", str(self.data), "-p", str(self.port)]
        args += ["-k", str(self.folder), *(f"-c{setting}" for setting in settings)]
        self._spawn([*self.as_postgres, *args], "postgres.log")
        _wait(self._answers, "PostgreSQL")

    def create_database(self, name: str = "newsroom") -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def restart(self) -> None:
        """A fast shutdown and a start: open connections are cut, as on a failover."""
        self._signal(signal.SIGINT)
        self.start()


class ThrowawayRedis(_Child):
    def __init__(self):
        super().__init__("newsroom-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, decode_responses=True)

    def _answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        self._spawn([*args, "--save", "", "--appendonly", "no"], "redis.log")
        _wait(self._answers, "redis-server")

    def stop(self) -> None:
        """Gone at once, as when the Redis host dies: connections are refused from now on."""
        self._signal(signal.SIGKILL)
