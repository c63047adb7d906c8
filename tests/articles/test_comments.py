import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from accounts import backends
from accounts.services import profile_update
from articles import comments
from articles.models import Comment
from tests import factories


def changes_settled(user):
    """As if the marks of the user's last changes had run out (accounts/backends.py): their
    row may be kept in the cache again."""
    cache.delete(backends.cached_user_key(user.pk))
    return user


@pytest.mark.django_db
def test_only_verified_registered_readers_comment(published_article, reader):
    with pytest.raises(PermissionDenied):
        comments.comment_create(article=published_article, user=reader, body="Unverified.")
    factories.email_confirm(reader)
    comment = comments.comment_create(article=published_article, user=reader, body="Hello.")
    assert comment.pk and comment.user == reader


@pytest.mark.django_db
def test_anonymous_readers_see_comments_and_an_invitation_but_cannot_post(
    client, published_article
):
    comments.comment_create(
        article=published_article, user=factories.verified_reader_factory(), body="First!"
    )
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "First!" in page and "data-comment-refusal" in page
    assert 'class="comment-form"' not in page
    client.post(f"/accounts/comments/{published_article.pk}/", {"body": "Sneaky."})
    assert not Comment.objects.filter(body="Sneaky.").exists()


@pytest.mark.django_db
def test_a_verified_reader_posts_from_the_article_page(client, published_article, reader):
    factories.email_confirm(reader)
    client.force_login(reader)
    page = client.get(published_article.get_absolute_url()).content.decode()
    action = re.search(r'<form method="post" action="([^"]+)" class="comment-form"', page)[1]
    assert action == f"/comments/{published_article.pk}/"
    response = client.post(action, {"body": "Good piece."})
    assert response["Location"].endswith("#comments")
    assert Comment.objects.get().body == "Good piece."


@pytest.mark.django_db
def test_closed_threads_take_no_comments(published_article, reader):
    factories.email_confirm(reader)
    comments.comments_close(article=published_article, closed=True)
    with pytest.raises(PermissionDenied):
        comments.comment_create(article=published_article, user=reader, body="Too late.")
    comments.comments_close(article=published_article, closed=False)
    assert comments.comment_create(article=published_article, user=reader, body="Open again.")


@pytest.mark.django_db
def test_comments_are_rate_limited(published_article, reader):
    factories.email_confirm(reader)
    now = timezone.now()
    for n in range(comments.RATE_MAX):
        comments.comment_create(article=published_article, user=reader, body=f"{n}", now=now)
    with pytest.raises(ValidationError):
        comments.comment_create(article=published_article, user=reader, body="more", now=now)
    later = now + comments.RATE_WINDOW + timedelta(seconds=1)
    assert comments.comment_create(article=published_article, user=reader, body="ok", now=later)


@pytest.mark.django_db
def test_comments_on_drafts_are_refused(reader, section):
    factories.email_confirm(reader)
    draft = factories.article_create(section=section)
    with pytest.raises(PermissionDenied):
        comments.comment_create(article=draft, user=reader, body="Early.")


def test_comment_text_is_plain_and_links_are_nofollow_ugc():
    html = comments.comment_render('See https://example.org/x <b onclick="x()">bold</b>\nbye')
    assert '<a href="https://example.org/x" rel="nofollow ugc">' in html
    assert "<b " not in html and "&lt;b onclick" in html and html.endswith("<br>bye")


@pytest.mark.django_db
def test_editors_hide_comments_from_the_admin(client, editor, published_article, reader):
    factories.email_confirm(reader)
    comment = comments.comment_create(article=published_article, user=reader, body="Rude words.")
    client.force_login(editor)
    response = client.post(
        "/admin/articles/comment/",
        {"action": "hide_selected", "_selected_action": [comment.pk]},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden
    assert "Rude words." not in client.get(published_article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_writers_cannot_moderate(client, writer):
    client.force_login(writer)
    assert client.get("/admin/articles/comment/").status_code == 403


@pytest.mark.django_db
def test_anonymous_pages_follow_moderation_and_renaming(
    client, editor, published_article, reader, django_capture_on_commit_callbacks
):
    """The anonymous page is cached whole; every comment change must reach it at once."""
    url = published_article.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        comment = comments.comment_create(
            article=published_article, user=factories.email_confirm(reader), body="Rude words."
        )
    assert "Rude words." in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=reader, display_name="Renamed Reader")
    assert "Renamed Reader" in client.get(url).content.decode()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/articles/comment/",
            {"action": "hide_selected", "_selected_action": [comment.pk]},
        )
    client.logout()
    assert "Rude words." not in client.get(url).content.decode()


@pytest.mark.django_db
def test_an_anonymous_reader_sees_their_own_messages_on_a_cached_page(
    client, published_article, reader
):
    url = published_article.get_absolute_url()
    assert 'class="messages"' not in client.get(url).content.decode()
    client.force_login(reader)
    client.post("/accounts/logout/")
    page = client.get(url).content.decode()
    assert 'class="messages"' in page and "comments" in page
    assert 'class="messages"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_registered_readers_share_a_page_but_each_gets_their_own_form(published_article):
    """The registered readers' page is stored once; the comment and alerts forms are not."""
    url = published_article.get_absolute_url()
    unverified, confirmed = factories.UserFactory(), factories.verified_reader_factory()
    pages = {}
    for user in (unverified, confirmed, unverified):
        client = Client()
        client.force_login(user)
        pages.setdefault(user.pk, []).append(client.get(url).content.decode())
    first, again = pages[unverified.pk]
    assert "Confirm your email address to comment." in first
    assert "Confirm your email address to comment." in again
    assert 'class="comment-form"' not in first + again
    page = pages[confirmed.pk][0]
    assert 'class="comment-form"' in page and "data-comment-refusal" not in page
    assert page.count('name="csrfmiddlewaretoken"') == 2  # the comment and the alerts forms
    for user in (unverified, confirmed):
        assert user.email not in "".join(pages[user.pk])


@pytest.mark.django_db
def test_a_registered_reader_s_stored_page_asks_the_database_nothing(published_article):
    """The session, the reader's row and what the page needs to know of them are cached."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = published_article.get_absolute_url()
    client = Client()
    client.force_login(changes_settled(factories.verified_reader_factory()))
    client.get(url)  # the page stored; the session and the reader's row in the cache
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert 'class="comment-form"' in page
    assert len(queries) == 0, [q["sql"] for q in queries]


@pytest.mark.django_db
def test_closing_the_conversation_reaches_the_stored_page(
    published_article, django_capture_on_commit_callbacks
):
    url = published_article.get_absolute_url()
    client = Client()
    client.force_login(factories.verified_reader_factory())
    assert 'class="comment-form"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        comments.comments_close(article=published_article, closed=True)
    page = client.get(url).content.decode()
    assert "Comments are closed on this article." in page
    assert 'class="comment-form"' not in page


@pytest.mark.django_db
def test_posting_asks_the_database_not_the_page_s_cached_facts(published_article):
    """The page may keep "unconfirmed" for a few minutes; a reader who has just confirmed
    (here by an update that sends no signal) can post at once."""
    reader = factories.UserFactory()
    address = EmailAddress.objects.create(user=reader, email=reader.email, verified=False)
    changes_settled(reader)
    client = Client()
    client.force_login(reader)
    url = published_article.get_absolute_url()
    assert "Confirm your email address to comment." in client.get(url).content.decode()
    EmailAddress.objects.filter(pk=address.pk).update(verified=True)
    assert "Confirm your email address to comment." in client.get(url).content.decode()
    assert comments.comment_create(article=published_article, user=reader, body="Now I may.")


@pytest.mark.django_db
def test_a_thread_is_reopened_in_the_admin_not_deleted():
    from django.contrib.admin import site

    from articles.models import CommentThread

    assert not site._registry[CommentThread].has_delete_permission(None)
