"""Settings for the Celery worker that the import integration tests start as a subprocess:
production settings from the environment (the test database, its folders, Redis)."""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import env

CELERY_TASK_DEFAULT_QUEUE = env("TEST_WORKER_QUEUE")
