"""Fast, isolated settings for the test suite.

DATABASE_URL and REDIS_URL are honoured, so CI tests against the real services; without them
the suite runs on SQLite and the database meter.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("SECURE", "false")

from newsroom.settings import *  # noqa: F403
from newsroom.settings import VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsroom-test-media-")
IMPORT_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-imports-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "test-celerybeat-schedule")
ALLOWED_HOSTS = ["*"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
CONTENT_VERSION_TRUST_SECONDS = 0
ACCOUNT_RATE_LIMITS = False

# Each run gets its own PostgreSQL test database, so that runs in parallel never collide.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_newsroom_{os.getpid()}"}  # noqa: F405
else:
    # A file, not shared-cache memory: parallel requests (threads, gunicorn workers) must
    # meet SQLite's real locking, as in production.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"newsroom-test-{os.getpid()}.sqlite3")
    }

# Under CI=true a test whose service (PostgreSQL, Redis, Chromium) is missing fails, never skips.
CI = env.bool("CI", default=False)  # noqa: F405
# Where the browser tests save their screenshots; empty: test-artifacts/ in the checkout
# (tests/integration/chromium.py).
TEST_ARTIFACTS = env("NEWSROOM_TEST_ARTIFACTS", default="")  # noqa: F405
# The load test's length: short in CI and by default, 60 s when `make bench` runs it.
LOAD_TEST_SECONDS = env.int("LOAD_TEST_SECONDS", default=10)  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
