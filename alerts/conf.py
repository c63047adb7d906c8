"""Alert settings and their defaults, read lazily from Django settings so tests can override.

`conf.BATCH_SIZE` reads `settings.ALERTS_BATCH_SIZE`, falling back to the default here.
"""

from django.conf import settings

DEFAULTS = {
    # Deliveries one task claims and sends over one SMTP connection.
    "BATCH_SIZE": 500,
    # A sending task goes on claiming batches for this long, then leaves the rest to others.
    "TASK_SECONDS": 60,
    # A claim not renewed for this long is taken to belong to a dead worker.
    "CLAIM_SECONDS": 120,
    # Sent records are written at least this often: the bound on duplicates after a crash.
    "FLUSH_MESSAGES": 100,
    "FLUSH_SECONDS": 1.0,
    # Messages per second per sending process; 0 sends as fast as the server accepts.
    "RATE_PER_SECOND": 0.0,
    # Temporary failures back off exponentially from the base, up to the cap.
    "RETRY_BASE_SECONDS": 30,
    "RETRY_MAX_SECONDS": 1800,
    "MAX_ATTEMPTS": 8,
    # Ledger rows inserted per statement while planning.
    "PLAN_CHUNK": 5000,
    # Sign-up: one confirmation mail per address per interval; links expire after max age.
    "CONFIRMATION_INTERVAL_SECONDS": 3600,
    "CONFIRMATION_MAX_AGE_SECONDS": 3 * 24 * 3600,
    # Sign-up requests per client address per window.
    "SIGNUP_LIMIT": 10,
    "SIGNUP_WINDOW_SECONDS": 3600,
}


def __getattr__(name: str):
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"ALERTS_{name}", DEFAULTS[name])
