import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts import subscriptions
from alerts.models import Subscriber
from tests import factories
from tests.alerts.conftest import subscriber_confirmed

State = Subscriber.State
pytestmark = pytest.mark.django_db


def _page(response) -> bytes:
    """The answer without the per-request CSRF token."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


def _link(message, marker):
    return next(word for word in message.body.split() if marker in word)


def test_signup_sends_one_confirmation_and_confirms_only_on_post(client, on_commit):
    with on_commit():
        response = client.post(reverse("alerts:signup"), {"email": "New@Example.org"})
    assert response.status_code == 200
    subscriber = Subscriber.objects.get(email="new@example.org")
    assert subscriber.state == State.PENDING
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0], "/alerts/confirm/")
    path = link.split("://", 1)[1].split("/", 1)[1]

    page = client.get("/" + path)
    assert b"<form" in page.content
    subscriber.refresh_from_db()
    assert subscriber.state == State.PENDING

    client.post("/" + path)
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED


def test_sign_up_box_on_every_page_sets_no_cookie_for_anonymous_readers(client, on_commit):
    page = client.get("/")
    assert b'data-paywall="alerts-signup"' in page.content
    assert b'action="/alerts/"' in page.content
    assert "csrftoken" not in page.cookies
    mail_client = Client(enforce_csrf_checks=True)
    with on_commit():
        assert mail_client.post("/alerts/", {"email": "box@example.org"}).status_code == 200
    assert len(mail.outbox) == 1


def test_signed_in_one_click_needs_the_csrf_token(verified_reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(verified_reader)
    assert browser.post("/alerts/").status_code == 403
    assert not Subscriber.objects.exists()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get("/").content)
    assert browser.post("/alerts/", {"csrfmiddlewaretoken": token[1].decode()}).status_code == 200
    assert Subscriber.objects.get(user=verified_reader).state == State.CONFIRMED


def test_at_most_one_confirmation_mail_per_interval(on_commit):
    now = timezone.now()
    with on_commit():
        subscriptions.subscriber_request(email="a@example.org", now=now)
        subscriptions.subscriber_request(email="a@example.org", now=now + timedelta(minutes=5))
    assert len(mail.outbox) == 1
    with on_commit():
        subscriptions.subscriber_request(email="a@example.org", now=now + timedelta(hours=2))
    assert len(mail.outbox) == 2


def test_same_answer_whether_the_address_is_known(client, on_commit):
    subscriber_confirmed("known@example.org")
    with on_commit():
        known = client.post(reverse("alerts:signup"), {"email": "known@example.org"})
        unknown = client.post(reverse("alerts:signup"), {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known) == _page(unknown)
    assert [m.to for m in mail.outbox] == [["unknown@example.org"]]


def test_signup_rate_limited_per_client(client, settings):
    settings.ALERTS_SIGNUP_LIMIT = 2
    for n in range(2):
        assert client.post(reverse("alerts:signup"), {"email": f"x{n}@e.org"}).status_code == 200
    assert client.post(reverse("alerts:signup"), {"email": "x9@e.org"}).status_code == 429
    assert not Subscriber.objects.filter(email="x9@e.org").exists()


def test_expired_or_tampered_confirmation_does_nothing(client, settings):
    subscriptions.subscriber_request(email="late@example.org")
    token = subscriptions.confirmation_token("late@example.org")
    assert client.post(reverse("alerts:confirm", args=[token + "x"])).status_code == 400
    settings.ALERTS_CONFIRMATION_MAX_AGE_SECONDS = -1
    assert client.post(reverse("alerts:confirm", args=[token])).status_code == 400
    assert Subscriber.objects.get(email="late@example.org").state == State.PENDING


def test_unsubscribe_get_asks_post_leaves_without_login(client):
    subscriber = subscriber_confirmed("leave@example.org")
    url = reverse("alerts:unsubscribe", args=[subscriptions.unsubscribe_token(subscriber.pk)])
    assert b"<form" in client.get(url).content
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == State.UNSUBSCRIBED
    assert client.post(url[:-3] + "xx/").status_code == 400


def test_verified_reader_subscribes_in_one_click(client, verified_reader):
    client.force_login(verified_reader)
    client.post(reverse("alerts:signup"))
    subscriber = Subscriber.objects.get(user=verified_reader)
    assert subscriber.state == State.CONFIRMED
    assert mail.outbox == []
    client.post(reverse("alerts:toggle"), {"next": "/"})
    subscriber.refresh_from_db()
    assert subscriber.state == State.UNSUBSCRIBED


def test_unverified_reader_goes_through_double_opt_in(client, on_commit):
    reader = factories.UserFactory()
    client.force_login(reader)
    with on_commit():
        client.post(reverse("alerts:toggle"), {"subscribed": "on", "next": "https://evil.test/"})
    assert Subscriber.objects.get(email=reader.email).state == State.PENDING
    assert len(mail.outbox) == 1


def test_account_page_toggle(client, verified_reader):
    client.force_login(verified_reader)
    profile = reverse("accounts:profile")
    assert b'data-alerts-state="none"' in client.get(profile).content
    response = client.post(reverse("alerts:toggle"), {"subscribed": "on", "next": profile})
    assert response.url == profile
    assert b'data-alerts-state="confirmed"' in client.get(profile).content
    client.post(reverse("alerts:toggle"), {"next": profile})
    assert b'data-alerts-state="unsubscribed"' in client.get(profile).content


def test_the_confirmation_link_is_on_the_site_url(client, on_commit, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    with on_commit():
        client.post(reverse("alerts:signup"), {"email": "local@example.org"})
    assert _link(mail.outbox[0], "/alerts/confirm/").startswith("http://127.0.0.1:8000/alerts/")
