"""The alert sign-up's per-client limit holds for its whole window on the file cache too."""

import time

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_hourly_limit_survives_a_quiet_spell_on_the_file_cache(client, settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
            "TIMEOUT": 1,  # the default timeout that generic incr re-saves with
        },
    }
    settings.ALERTS_SIGNUP_LIMIT = 3
    url = reverse("alerts:signup")
    assert [client.post(url, {"email": f"r{n}@example.org"}).status_code for n in range(3)] == [
        200
    ] * 3
    time.sleep(1.2)
    assert client.post(url, {"email": "r4@example.org"}).status_code == 429


@pytest.mark.django_db
def test_an_ipv6_block_signs_up_as_one_client(client, settings):
    settings.ALERTS_SIGNUP_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 0
    url = reverse("alerts:signup")
    answers = [
        client.post(url, {"email": f"r{n}@example.org"}, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
        for n in range(4)
    ]
    assert [answer.status_code for answer in answers] == [200] * 3 + [429]
    other_block = client.post(url, {"email": "r9@example.org"}, REMOTE_ADDR="2001:db8:1:3::1")
    assert other_block.status_code == 200
