"""The processes that sign (the web server, Celery) refuse to start without a secret key.

Settings leave the key empty when none is configured, so that commands which sign nothing
(makemigrations, check) still run. Django refuses an empty key on its first read; the web
server and Celery read it as they start, rather than on a reader's first signed cookie or a
subscriber's first emailed link.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def secret_key_required() -> None:
    """Raises ImproperlyConfigured, saying what to set, when no secret key is configured."""
    try:
        settings.SECRET_KEY  # noqa: B018 - the read is the check
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable, or SECRET_KEY_FILE to a file that holds it."
        ) from error
