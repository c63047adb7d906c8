"""The health endpoint answers for the database, Redis and the broker, each really reached."""

import socket

import pytest
from django.conf import settings

from newsroom.celery import app as celery_app
from tests.conftest import require_service


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthy_node_answers_200_with_each_check(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_real_redis_is_pinged(client):
    require_service("Redis", bool(settings.REDIS_URL), "set REDIS_URL=redis://...")
    body = client.get("/healthz/").json()
    assert body["checks"]["redis"]["ok"] is True
    assert "ms" in body["checks"]["redis"]


@pytest.mark.django_db
def test_unreachable_redis_makes_the_node_unavailable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"

    response = client.get("/healthz/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_unreachable_broker_makes_the_node_unavailable(client, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://127.0.0.1:{closed_port()}/0")

    response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.django_db
def test_health_is_reachable_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz/").status_code == 200
    assert client.get("/").status_code == 301
