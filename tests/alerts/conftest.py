import pytest
from django.core.cache import cache

from alerts import subscriptions
from alerts.models import Subscriber


def subscriber_confirmed(email: str) -> Subscriber:
    """A subscriber who went through the double opt-in, as a reader would."""
    subscriptions.subscriber_request(email=email)
    return subscriptions.subscriber_confirm(token=subscriptions.confirmation_token(email))


def subscribers_bulk(count: int, state=Subscriber.State.CONFIRMED, prefix="reader") -> list:
    """Many subscribers at once, for volume tests where one opt-in each would dominate."""
    return Subscriber.objects.bulk_create(
        Subscriber(email=f"{prefix}{n}@example.net", state=state) for n in range(count)
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache, which outlives a test."""
    cache.clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what services queue on commit (mails, tasks) as the request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
