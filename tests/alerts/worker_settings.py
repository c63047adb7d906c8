"""Settings for the Celery worker that the alert integration tests start as a subprocess.

Production settings from the environment (the test database, Redis, the SMTP sink), with
short claims and back-offs so that recovery happens within a test's time.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import env

CELERY_TASK_DEFAULT_QUEUE = env("TEST_WORKER_QUEUE")
CELERY_BEAT_SCHEDULE = {
    "alerts-requeue-expired": {
        "task": "articles.tasks.alert_requeue_expired_task",
        "schedule": 1.0,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = env("ALERTS_TEST_BEAT_FILE")
ALERTS_CLAIM_SECONDS = 3
ALERTS_RETRY_BASE_SECONDS = 1
ALERTS_RETRY_MAX_SECONDS = 2
ALERTS_MAX_ATTEMPTS = 20
ALERTS_BATCH_SIZE = 100
SITE_URL = "http://testserver"
