"""allauth's mails link to SITE_URL and sign with SITE_NAME, as the site's other emails."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_a_password_reset_links_to_the_site_url_whatever_host_was_asked(client, reader, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.SITE_NAME = "The Newsroom Ledger"
    client.post("/accounts/password/reset/", {"email": reader.email}, HTTP_HOST="127.0.0.1")
    (message,) = mail.outbox
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("https://news.example.org/") for link in links), links
    assert "/accounts/password/reset/key/" in links[0]
    assert "example.com" not in message.body + message.subject
    assert "The Newsroom Ledger" in message.body


def test_an_unknown_address_is_sent_the_sign_up_link_on_the_site_url(client, settings):
    settings.SITE_URL = "https://news.example.org"
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    (message,) = mail.outbox
    assert "https://news.example.org/accounts/signup/" in message.body
