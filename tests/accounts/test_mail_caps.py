"""Mail that strangers can make us send is capped per inbox, however the address is written."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsroom import mail_caps

HOUR_START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
# One inbox, written seven ways.
VARIANTS = [
    "x@example.org",
    '"x"@example.org',
    "x+1@example.org",
    "X+news@Example.ORG",
    '"x+2"@example.org',
    "x+3@example.org",
    "x+4@example.org",
]


@pytest.mark.parametrize(
    ("address", "inbox"),
    [
        ("x@example.org", "x@example.org"),
        ('"x"@example.org', "x@example.org"),
        ("X+1@Example.org", "x@example.org"),
        ('"x+tag"@example.org', "x@example.org"),
        (" y.z@example.org ", "y.z@example.org"),
    ],
)
def test_an_address_is_counted_against_its_inbox(address, inbox):
    assert mail_caps.inbox(address) == inbox


def test_five_an_hour_and_ten_a_day_per_inbox(settings):
    settings.MAIL_CAP_PER_INBOX_HOUR, settings.MAIL_CAP_PER_INBOX_DAY = 5, 10

    def allowed(address, now):
        return mail_caps.mail_allowed(to=address, kind="test", now=now)

    first_hour = [allowed(address, HOUR_START) for address in VARIANTS]
    assert first_hour == [True] * 5 + [False] * 2
    assert allowed("other@example.org", HOUR_START)
    second_hour = [allowed("x@example.org", HOUR_START + timedelta(hours=1)) for _ in range(6)]
    assert second_hour == [True] * 5 + [False]  # the refused two did not spend the day's ten
    assert not allowed("x@example.org", HOUR_START + timedelta(hours=2))  # ten today
    assert allowed("x@example.org", HOUR_START + timedelta(days=1))


@pytest.mark.django_db
def test_password_resets_to_one_inbox_are_capped_and_the_answer_stays_the_same(
    client, settings, caplog
):
    settings.MAIL_CAP_PER_INBOX_HOUR = 5
    caplog.set_level(logging.WARNING, logger="newsroom.mail_caps")
    answers = {
        client.post("/accounts/password/reset/", {"email": address})["Location"]
        for address in VARIANTS
    }
    assert len(answers) == 1
    assert len(mail.outbox) == 5
    assert caplog.text.count("Mail not sent, its inbox is over its cap: kind=") == 2
    assert "example.org" not in caplog.text


@pytest.mark.django_db
def test_sign_in_codes_to_one_inbox_are_capped(settings, reader):
    settings.MAIL_CAP_PER_INBOX_HOUR = 3
    for _ in range(5):
        Client().post("/accounts/login/code/", {"email": reader.email})
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_alert_confirmations_to_one_inbox_are_capped(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_CAP_PER_INBOX_HOUR = 5
    for address in VARIANTS:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("alerts:signup"), {"email": address})
        assert response.status_code == 200
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_alert_sign_ups_for_an_inbox_do_not_spend_its_owner_s_codes(
    client, settings, reader, django_capture_on_commit_callbacks
):
    settings.MAIL_CAP_PER_INBOX_HOUR = 2
    local, domain = reader.email.split("@")
    for n in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("alerts:signup"), {"email": f"{local}+{n}@{domain}"})
    assert len(mail.outbox) == 2
    Client().post("/accounts/login/code/", {"email": reader.email})
    assert len(mail.outbox) == 3
