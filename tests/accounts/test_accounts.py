import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from alerts.models import Subscriber
from articles import comments
from newsroom import settings as production_settings
from tests import factories
from tests.accounts.mailbox import emailed_code

User = get_user_model()
PASSWORD = "a-long-reader-password-42"


@pytest.mark.django_db
def test_sign_up_asks_only_email_and_password_and_honours_next(client, published_article):
    page = client.get("/accounts/signup/")
    form_fields = set(page.context["form"].fields)
    assert form_fields == {"email", "password1", "password2"}
    article_url = published_article.get_absolute_url()
    response = client.post(
        f"/accounts/signup/?next={article_url}",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    response = client.post(response["Location"], {"code": emailed_code()})
    assert response.status_code == 302 and response["Location"] == article_url
    assert User.objects.get(email="new@example.org")


@pytest.mark.django_db
def test_password_reset_does_not_tell_who_has_an_account(client, reader):
    known = client.post("/accounts/password/reset/", {"email": reader.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


@pytest.mark.django_db
def test_login_by_code_does_not_tell_who_has_an_account(client, reader):
    known = client.post("/accounts/login/code/", {"email": reader.email})
    unknown = Client().post("/accounts/login/code/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


@pytest.mark.django_db
def test_rate_limits_are_on_with_the_production_settings(client, settings, reader):
    settings.ACCOUNT_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"]
    reader.set_password(PASSWORD)
    reader.save()
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": reader.email, "password": "wrong"})
    right = client.post("/accounts/login/", {"login": reader.email, "password": PASSWORD})
    assert right.status_code == 429  # refused, though the password is right
    assert "_auth_user_id" not in client.session
    assert "Too many tries" in right.content.decode()


@pytest.mark.django_db
def test_the_admin_login_is_allauth_s(client):
    response = client.get("/admin/login/?next=/admin/articles/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Farticles%2F"


@pytest.mark.django_db
def test_editors_must_set_up_totp_when_the_setting_says_so(client, settings, editor, writer):
    settings.ACCOUNTS_EDITOR_MFA_REQUIRED = True
    client.force_login(editor)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"
    client.force_login(writer)
    assert client.get("/admin/").status_code == 200
    settings.ACCOUNTS_EDITOR_MFA_REQUIRED = False
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_profile_sets_the_display_name_shown_with_comments(client, published_article):
    user = factories.verified_reader_factory()
    client.force_login(user)
    response = client.post("/accounts/profile/", {"display_name": "Dana from Haifa"})
    assert response.status_code == 302
    comments.comment_create(article=published_article, user=user, body="Well reported.")
    page = client.get(published_article.get_absolute_url())
    assert "Dana from Haifa" in page.content.decode()


@pytest.mark.django_db
def test_data_export_holds_the_reader_s_data(client, published_article):
    user = factories.verified_reader_factory()
    comments.comment_create(article=published_article, user=user, body="My own words.")
    client.force_login(user)
    response = client.get("/accounts/profile/export/")
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["comments"][0]["text"] == "My own words."


@pytest.mark.django_db
def test_deleting_the_account_keeps_nothing_that_identifies_the_reader(client, published_article):
    user = factories.verified_reader_factory(email="leaving@example.org")
    user.set_password(PASSWORD)
    user.save()
    comment = comments.comment_create(article=published_article, user=user, body="Goodbye.")
    Subscriber.objects.create(email="Leaving@example.org")
    client.force_login(user)
    assert client.post("/accounts/profile/delete/", {"password": "wrong"}).status_code == 200
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post("/accounts/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email__iexact="leaving@example.org").exists()
    assert not Subscriber.objects.filter(email__iexact="leaving@example.org").exists()
    comment.refresh_from_db()
    assert comment.user is None and comment.body == "Goodbye."
    assert client.get("/accounts/profile/").status_code == 302  # signed out
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "Former reader" in page and "leaving@example.org" not in page


@pytest.mark.django_db
def test_staff_accounts_are_not_deleted_from_the_reader_pages(client, editor):
    editor.set_password(PASSWORD)
    editor.save()
    client.force_login(editor)
    response = client.post("/accounts/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.filter(pk=editor.pk).exists()


@pytest.mark.django_db
def test_staff_can_turn_on_totp(client, writer):
    writer.set_password(PASSWORD)
    writer.save()
    client.force_login(writer)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
