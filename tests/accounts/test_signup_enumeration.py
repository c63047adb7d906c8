"""Sign-up answers the same for a known address and a new one; the new reader is in once
they type the code we email, and lands where they were going."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from newsroom import settings as production_settings
from tests.accounts.mailbox import emailed_code

PASSWORD = "a-long-reader-password-42"


def sign_up(email, next_url="/"):
    client = Client()
    response = client.post(
        f"/accounts/signup/?next={next_url}",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    return client, response


def visible_text(response, email) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email, "ADDRESS")


@pytest.mark.django_db
def test_sign_up_does_not_tell_whether_an_address_has_an_account(reader):
    known_client, known = sign_up(reader.email)
    new_client, new = sign_up("someone-new@example.org")
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    known_page = known_client.get(known["Location"])
    new_page = new_client.get(new["Location"])
    assert known_page.status_code == new_page.status_code == 200
    assert visible_text(known_page, reader.email) == visible_text(
        new_page, "someone-new@example.org"
    )
    assert "already" not in known_page.content.decode()
    assert "_auth_user_id" not in known_client.session
    # The owner hears of it by mail, not the stranger on the page.
    assert [message.to for message in mail.outbox] == [[reader.email], ["someone-new@example.org"]]


@pytest.mark.django_db
def test_the_new_reader_is_in_with_the_emailed_code_and_back_on_the_story(
    settings, published_article
):
    settings.ACCOUNT_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS
    story = published_article.get_absolute_url()
    client, response = sign_up("from-the-wall@example.org", next_url=story)
    entered = client.post(response["Location"], {"code": emailed_code()})
    assert entered.status_code == 302 and entered["Location"] == story
    assert client.session["_auth_user_id"]
    assert EmailAddress.objects.get(email="from-the-wall@example.org").verified
