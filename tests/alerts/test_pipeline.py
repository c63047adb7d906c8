"""The alert pipeline end to end: a real Redis broker, real Celery workers, a real SMTP server.

The test process plans and checks; workers are `celery worker` subprocesses on the test
database, so these tests commit (transactional_db) and need PostgreSQL and Redis.
"""

import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from alerts import conf
from alerts.models import Alert, Delivery, Subscriber
from support import smtp_sink
from tests import celery_worker, factories
from tests.alerts.conftest import subscribers_bulk
from tests.celery_worker import broker_queue, services_required

State = Subscriber.State
pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def services():
    services_required()


@pytest.fixture(scope="module")
def sink(services):
    handler = smtp_sink.RecordingHandler()
    controller = smtp_sink.start(handler)
    yield handler, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def broker(services):
    with broker_queue("test-alerts") as queue:
        yield queue


class Worker(celery_worker.Worker):
    """A worker with an embedded beat, sending to the SMTP sink."""

    def __init__(self, queue: str, smtp_port: int, tmp: Path, concurrency: int = 2):
        super().__init__(
            queue,
            settings_module="tests.alerts.worker_settings",
            env={
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
                "ALERTS_TEST_BEAT_FILE": str(tmp / f"beat-{uuid.uuid4().hex[:6]}"),
            },
            concurrency=concurrency,
            beat=True,
        )


@pytest.fixture(scope="module")
def worker(broker, sink, tmp_path_factory):
    worker = Worker(broker, sink[1], tmp_path_factory.mktemp("worker"))
    yield worker
    worker.kill()


@pytest.fixture
def handler(sink):
    handler = sink[0]
    handler.reset()
    yield handler
    handler.release()  # no held message outlives its test


@pytest.fixture
def chief(db):
    """An editor-in-chief; superuser, since flushes between these tests empty the groups."""
    return factories.UserFactory(is_staff=True, is_superuser=True)


def _article(chief):
    return factories.article_published(by=chief)


def _wait_finished(alert_id: int, timeout: float = 90) -> Alert:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alert = Alert.objects.with_progress().get(pk=alert_id)
        if alert.finished_at:
            return alert
        time.sleep(0.2)
    pytest.fail(f"alert {alert_id} did not finish: {alert.sent} sent, {alert.pending} pending")


def _send(article, chief) -> Alert:
    from alerts.services import alert_create

    alert, _created = alert_create(article=article, by=chief)
    return alert


def test_every_confirmed_subscriber_gets_exactly_one_message(worker, handler, chief):
    confirmed = subscribers_bulk(2000)
    subscribers_bulk(20, state=State.PENDING, prefix="pending")
    subscribers_bulk(20, state=State.UNSUBSCRIBED, prefix="gone")
    subscribers_bulk(20, state=State.BOUNCED, prefix="bounced")
    alert = _wait_finished(_send(_article(chief), chief).pk)
    assert (alert.planned, alert.sent, alert.failed, alert.pending) == (2000, 2000, 0, 0)
    assert set(handler.received) == {subscriber.email for subscriber in confirmed}
    assert set(handler.received.values()) == {1}


def test_worker_killed_mid_send_then_a_new_one_misses_nobody(
    broker, sink, handler, chief, tmp_path
):
    subscribers_bulk(2000)
    held = handler.hold_after(550)  # mid-batch, some sent messages not yet recorded
    first = Worker(broker, sink[1], tmp_path, concurrency=1)
    try:
        alert = _send(_article(chief), chief)
        assert held.wait(timeout=90), "the worker did not reach its 551st message"
        first.kill()  # while it waits for the server's answer to that message
        at_kill = handler.total()
        assert at_kill == 550
    finally:
        first.kill()
    handler.release()
    second = Worker(broker, sink[1], tmp_path, concurrency=1)
    try:
        done = _wait_finished(alert.pk)
    finally:
        second.kill()
    duplicates = handler.total() - len(handler.received)
    print(f"\nkilled after {at_kill} messages; duplicates after recovery: {duplicates}")
    assert len(handler.received) == 2000 and done.sent == 2000
    assert duplicates <= conf.FLUSH_MESSAGES


def test_temporary_refusals_are_retried_until_accepted(worker, handler, chief):
    subscribers_bulk(50)
    handler.refuse_for(3)
    alert = _wait_finished(_send(_article(chief), chief).pk)
    assert handler.temporary_refusals > 0
    assert alert.sent == 50 and len(handler.received) == 50
    assert set(handler.received.values()) == {1}


def test_permanent_refusal_bounces_the_address(worker, handler, chief):
    subscribers_bulk(30)
    handler.bouncing.add("reader7@example.net")
    alert = _wait_finished(_send(_article(chief), chief).pk)
    assert "reader7@example.net" not in handler.received and len(handler.received) == 29
    assert (alert.sent, alert.failed) == (29, 1)
    assert Subscriber.objects.get(email="reader7@example.net").state == State.BOUNCED
    failed = Delivery.objects.get(state=Delivery.State.FAILED)
    assert failed.error.startswith("550")


def test_double_send_request_makes_one_alert(worker, handler, chief):
    subscribers_bulk(40)
    article = _article(chief)
    url = reverse("admin:alerts_alert_send", args=[article.pk])
    barrier = threading.Barrier(2)
    statuses = []

    def click():
        client = Client()
        client.force_login(chief)
        barrier.wait()
        statuses.append(client.post(url).status_code)
        connection.close()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    assert statuses == [302, 302]
    assert Alert.objects.filter(article=article).count() == 1
    _wait_finished(Alert.objects.get(article=article).pk)
    assert len(handler.received) == 40 and set(handler.received.values()) == {1}


def test_mail_client_one_click_unsubscribe(worker, handler, chief):
    subscribers_bulk(3)
    _wait_finished(_send(_article(chief), chief).pk)
    message = handler.message("reader1@example.net")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.is_multipart()
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    target = urlsplit("".join(message["List-Unsubscribe"].split()).strip("<>"))
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        target.path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscriber.objects.get(email="reader1@example.net").state == State.UNSUBSCRIBED
    assert Subscriber.objects.get(email="reader2@example.net").state == State.CONFIRMED
