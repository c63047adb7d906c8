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
