"""Real Celery workers for the tests where the pipeline matters (alerts, site imports).

The test process queues onto Redis, on a queue of its own, instead of running tasks eagerly;
each worker is a `celery worker` subprocess on the test database, taking that queue only.
Its settings module reads the queue from `TEST_WORKER_QUEUE`.
"""

import contextlib
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection
from kombu import pools

from newsroom.celery import app
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[1]


def services_required() -> None:
    """A worker needs Redis for its broker and PostgreSQL for a database two processes share."""
    require_service("Redis", bool(settings.REDIS_URL), "set REDIS_URL=redis://...")
    require_service(
        "PostgreSQL",
        settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        "set DATABASE_URL=postgres://...",
    )


@contextlib.contextmanager
def broker_queue(prefix: str):
    """The test process's tasks go to Redis, on a new queue, whose name is yielded."""
    queue = f"{prefix}-{uuid.uuid4().hex[:8]}"
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=settings.REDIS_URL, task_always_eager=False, task_default_queue=queue
    )
    _forget_connections()
    try:
        yield queue
    finally:
        app.conf.update(saved)
        _forget_connections()


def _forget_connections() -> None:
    """Celery caches its routing and broker pool, and kombu its producer pools (keyed by
    broker address, so a closed one would be handed out again); rebuild them all."""
    app.__dict__.pop("amqp", None)
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    pools.reset()


class Worker:
    """A `celery worker` subprocess on the test database."""

    def __init__(
        self, queue: str, *, settings_module: str, env: dict, concurrency: int = 2, beat=False
    ):
        database = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
                f"/{database['NAME']}"
            ),
            "TEST_WORKER_QUEUE": queue,
            "LOG_LEVEL": "WARNING",
            **env,
        }
        command = [
            sys.executable, "-m", "celery", "-A", "newsroom", "worker",
            *(["--beat"] if beat else []), f"--concurrency={concurrency}", "-Q", queue,
            "--loglevel=WARNING",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as the kernel's OOM killer does."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
