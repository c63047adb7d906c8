"""Signed-in readers' rows come from the cache (accounts/backends.py); what changes a row
reaches their next request all the same, and staff rows always come from the database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from accounts import backends
from tests import factories
from tests.articles.test_comments import changes_settled

User = get_user_model()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def signed_in_as(client, path="/accounts/email/") -> bool:
    """Whether the client's session still signs them in: the email page sends others away."""
    return client.get(path).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda user: setattr(user, "is_active", False) or user.save(), id="closed"),
        pytest.param(
            lambda user: user.set_password("a-new-long-password-7") or user.save(),
            id="new password",
        ),
        pytest.param(lambda user: user.delete(), id="deleted"),
    ],
)
def test_a_change_to_a_reader_s_row_reaches_their_next_request(change):
    user = changes_settled(factories.verified_reader_factory())
    client = signed_in(user)
    assert signed_in_as(client)
    assert cache.get(backends.cached_user_key(user.pk)).pk == user.pk  # the row is cached
    change(User.objects.get(pk=user.pk))
    assert not signed_in_as(client)


@pytest.mark.django_db
def test_staff_rows_are_read_from_the_database_on_every_request(editor):
    client = signed_in(changes_settled(editor))  # a reader's row would now be kept
    assert client.get("/admin/").status_code == 200
    assert cache.get(backends.cached_user_key(editor.pk)) is None
    # An SQL update sends no signal: only a row read anew sees it.
    User.objects.filter(pk=editor.pk).update(is_staff=False)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_confirming_an_email_reaches_the_reader_s_next_page(published_article):
    user = changes_settled(factories.UserFactory())
    client = signed_in(user)
    url = published_article.get_absolute_url()
    assert "Confirm your email address to comment." in client.get(url).content.decode()
    factories.email_confirm(user)
    page = client.get(url).content.decode()
    assert 'class="comment-form"' in page
    assert "Confirm your email address to comment." not in page


@pytest.mark.django_db(transaction=True)
def test_a_row_read_before_a_change_cannot_be_put_back_after_it():
    user = changes_settled(factories.verified_reader_factory())
    client = signed_in(user)
    assert signed_in_as(client)
    read_before = backends.user_with_facts(user.pk)  # by a request still in flight
    closed = User.objects.get(pk=user.pk)
    closed.is_active = False
    closed.save()
    # That request stores the row it read, as get_user does, after the change.
    cache.add(backends.cached_user_key(user.pk), read_before, backends.USER_SECONDS)
    assert not signed_in_as(client)


@pytest.mark.django_db
def test_changing_a_password_writes_only_the_password():
    """The signed-in reader's row may be the cached one: a change made meanwhile stays."""
    user = factories.verified_reader_factory(first_name="Ada")
    client = signed_in(changes_settled(user))
    assert signed_in_as(client)
    assert (
        cache.get(backends.cached_user_key(user.pk)).first_name == "Ada"
    )  # the row is in the cache
    User.objects.filter(pk=user.pk).update(first_name="Grace")  # no signal
    new = "a-new-long-password-7"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "correct-horse-battery", "password1": new, "password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new) and user.first_name == "Grace"
