"""With Redis away, the forms whose rate limits count there neither answer 500 nor let anything
through uncounted: they fail closed with a 503 page that asks to try again shortly, logged."""

import logging
import shutil

import pytest
from django.urls import reverse

from alerts.models import Subscriber
from newsroom import settings as production_settings
from tests import factories
from tests.conftest import require_service
from tests.integration.services import ThrowawayRedis


@pytest.fixture
def redis_away(settings):
    """The default cache on a Redis of the test's own, which is then stopped."""
    require_service("redis-server", bool(shutil.which("redis-server")), "apt-get install redis")
    server = ThrowawayRedis()
    server.start()
    settings.ACCOUNT_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "newsroom.cache.FailSoftRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        },
    }
    server.stop()
    yield server
    server.remove()


KNOWN = "known@example.org"
NEW = "x-Long-pass-1"
FORMS = [
    ("account_login", {"login": "someone@example.org", "password": "a-guess-123"}),
    ("account_login", {"login": KNOWN, "password": "correct-horse-battery"}),
    ("account_reset_password", {"email": "someone@example.org"}),
    ("account_reset_password", {"email": KNOWN}),
    ("account_request_login_code", {"email": KNOWN}),
    (
        "account_signup",
        {"email": "new@example.org", "password1": "x-Long-pass-1", "password2": "x-Long-pass-1"},
    ),
    ("alerts:signup", {"email": "someone@example.org"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data"), FORMS)
def test_a_limited_form_says_try_again_shortly_while_redis_is_away(
    client, redis_away, caplog, mailoutbox, name, data
):
    factories.verified_reader_factory(email=KNOWN)
    with caplog.at_level(logging.ERROR):
        response = client.post(reverse(name), data)
    assert response.status_code == 503, response.content[:2000]
    assert response["Retry-After"] == "30"
    assert "Please try again shortly" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert mailoutbox == []
    assert not Subscriber.objects.exists()
    assert any("Rate limit store unreachable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_the_forms_work_again_once_redis_is_back(client, redis_away):
    factories.verified_reader_factory(email=KNOWN)
    assert client.post(reverse("account_login"), FORMS[1][1]).status_code == 503
    redis_away.start()
    assert client.post(reverse("account_login"), FORMS[1][1]).status_code == 302
