"""Every admin path that saves a story, against who may change it: a writer only their own
drafts, an editor anything."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.utils.timezone import localtime

from articles import services
from articles.models import Article, ArticleAuthor, Correction, Status
from tests import factories
from tests.articles.test_admin import change_data, change_url

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"

# (who, which story, may they change it)
MATRIX = [
    ("writer", "own_draft", True),
    ("writer", "own_published", False),
    ("writer", "colleague_draft", False),
    ("editor", "own_draft", True),
    ("editor", "own_published", True),
    ("editor", "colleague_draft", True),
]
matrix = pytest.mark.parametrize(("who", "story", "allowed"), MATRIX)


@pytest.fixture
def newsroom(writer, editor):
    """The writer's draft, the writer's story an editor published, a colleague's draft."""
    published = factories.article_create(by=writer, headline="Published headline")
    services.article_submit(article=published, by=writer)
    services.article_publish(article=published, by=editor)
    return SimpleNamespace(
        people={"writer": writer, "editor": editor},
        stories={
            "own_draft": factories.article_create(by=writer, headline="Own draft"),
            "own_published": published,
            "colleague_draft": factories.article_create(
                by=factories.writer_factory(), headline="Colleague's draft"
            ),
        },
    )


def logged_in(client, newsroom, who, story) -> Article:
    client.force_login(newsroom.people[who])
    return newsroom.stories[story]


def history_url(article, revision):
    return f"/admin/articles/article/{article.pk}/history/{revision.history_id}/"


def posted(article, **changes):
    """The change form as it shows this story (or revision), with some fields changed."""
    shown = {"slug": article.slug, "headline": article.headline, "body": article.body}
    if article.publish_at:
        at = localtime(article.publish_at)
        shown |= {"publish_at_0": f"{at:%Y-%m-%d}", "publish_at_1": f"{at:%H:%M:%S}"}
    return change_data(article, **shown) | changes


def stored(article):
    return Article.objects.values(
        "headline", "body", "slug", "status", "is_free", "is_breaking", "alert_at_go_live"
    ).get(pk=article.pk)


@matrix
def test_change_form(client, newsroom, who, story, allowed):
    article = logged_in(client, newsroom, who, story)
    before = stored(article)
    response = client.post(change_url(article), posted(article, headline="Rewritten"))
    after = stored(article)
    assert (after["headline"] == "Rewritten") is allowed
    assert after["status"] == before["status"]
    if not allowed:
        assert response.status_code in (302, 403) and after == before


@matrix
def test_history_restore(client, newsroom, who, story, allowed):
    article = logged_in(client, newsroom, who, story)
    revision = article.history.earliest("history_date")
    before = stored(article)
    response = client.post(
        history_url(article, revision), posted(revision.instance, headline="Restored")
    )
    after = stored(article)
    if allowed:
        assert response.status_code == 302
        assert after["headline"] == "Restored" and after["status"] == before["status"]
    else:
        assert response.status_code == 403 and after == before


def test_writer_cannot_rewrite_own_published_story_through_its_history(client, newsroom):
    article = logged_in(client, newsroom, "writer", "own_published")
    before = stored(article)
    latest = article.history.latest("history_date")
    data = posted(latest.instance, headline="Rewritten", body="<p>New.</p>", slug="rewritten")
    assert client.post(history_url(article, latest), data).status_code == 403
    assert stored(article) == before


def test_writer_cannot_restore_a_free_revision_of_own_published_story(client, writer, editor):
    """The attack: an old revision carries is_free=True, the story went out metered."""
    article = factories.article_create(by=writer, headline="Free at first")
    article.is_free = True
    services.article_save(article=article, by=editor)
    free_revision = article.history.latest("history_date")
    article.is_free, article.headline = False, "Metered in the end"
    services.article_save(article=article, by=editor)
    services.article_publish(article=article, by=editor)
    before = stored(article)
    client.force_login(writer)
    response = client.post(history_url(article, free_revision), posted(free_revision.instance))
    assert response.status_code == 403
    assert stored(article) == before
    assert before["is_free"] is False and before["headline"] == "Metered in the end"


def test_writer_restoring_own_draft_keeps_the_editors_flags(client, writer, editor):
    article = factories.article_create(by=writer, headline="First take")
    old = Article.objects.get(pk=article.pk)
    old.is_free = old.is_breaking = old.alert_at_go_live = True
    services.article_save(article=old, by=editor)
    flagged_revision = article.history.latest("history_date")
    old.is_free = old.is_breaking = old.alert_at_go_live = False
    old.headline = "Second take"
    services.article_save(article=old, by=editor)
    client.force_login(writer)
    data = posted(flagged_revision.instance)
    assert client.post(history_url(article, flagged_revision), data).status_code == 302
    after = stored(article)
    assert after["headline"] == "First take"
    assert not (after["is_free"] or after["is_breaking"] or after["alert_at_go_live"])


def test_editor_restores_an_old_revision_of_a_published_story(client, newsroom, editor):
    article = newsroom.stories["own_published"]
    article.headline, article.is_free = "Later headline", True
    services.article_save(article=article, by=editor)
    draft_revision = article.history.earliest("history_date")
    client.force_login(editor)
    data = posted(draft_revision.instance)  # metered then: its unticked box posts nothing
    assert client.post(history_url(article, draft_revision), data).status_code == 302
    after = stored(article)
    assert after["headline"] == "Published headline"
    # Content only: the story stays published and free, as the editors have it now.
    assert after["status"] == Status.PUBLISHED and after["is_free"] is True
    assert Article.objects.published().get() == article


def test_restoring_a_revision_keeps_breaking_and_the_flags_for_an_editor(client, editor, section):
    article = factories.article_create(by=editor, section=section, headline="Quiet start")
    calm_revision = article.history.get()
    article = Article.objects.get(pk=article.pk)
    article.is_breaking = article.alert_at_go_live = True
    article.headline = "Breaking now"
    services.article_save(article=article, by=editor)
    services.article_publish(article=article, by=editor)
    client.force_login(editor)
    form_page = client.get(history_url(article, calm_revision)).content.decode()
    for field in ("is_breaking", "is_free", "alert_at_go_live", "publish_at", "workflow"):
        assert f'name="{field}' not in form_page
    assert "status-draft" not in form_page
    data = posted(calm_revision.instance)
    data = {k: v for k, v in data.items() if not k.startswith(("publish_at", "workflow"))}
    assert client.post(history_url(article, calm_revision), data).status_code == 302
    after = stored(article)
    assert after["headline"] == "Quiet start"
    assert after["is_breaking"] and after["alert_at_go_live"]
    assert after["status"] == Status.PUBLISHED


@matrix
def test_submit_selected(client, newsroom, who, story, allowed):
    article = logged_in(client, newsroom, who, story)
    before = article.status
    client.post(CHANGELIST, {"action": "submit_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    expected = Status.IN_REVIEW if allowed and before == Status.DRAFT else before
    assert article.status == expected


@matrix
def test_publish_selected(client, newsroom, who, story, allowed):
    article = logged_in(client, newsroom, who, story)
    before = article.status
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == (Status.PUBLISHED if who == "editor" else before)


@matrix
def test_unpublish_selected(client, newsroom, who, story, allowed):
    article = logged_in(client, newsroom, who, story)
    before = article.status
    client.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    pulled = who == "editor" and before == Status.PUBLISHED
    assert article.status == (Status.UNPUBLISHED if pulled else before)


@matrix
def test_bylines_and_corrections_posted_with_a_change(client, newsroom, who, story, allowed):
    article = logged_in(client, newsroom, who, story)
    author = factories.AuthorFactory()
    data = posted(article) | {
        "bylines-TOTAL_FORMS": "1",
        "bylines-0-author": author.pk,
        "bylines-0-position": "0",
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-text": "An earlier version misnamed the ferry.",
        "corrections-0-created_at_0": "2030-01-01",
        "corrections-0-created_at_1": "08:00:00",
    }
    response = client.post(change_url(article), data)
    assert ArticleAuthor.objects.filter(article=article, author=author).exists() is allowed
    # Corrections are the editors' to add; writers only see them.
    assert Correction.objects.filter(article=article).exists() is (allowed and who == "editor")
    if not allowed:
        assert response.status_code in (302, 403)


@matrix
def test_preview_link(client, newsroom, who, story, allowed):
    article = logged_in(client, newsroom, who, story)
    response = client.post(f"/admin/articles/article/{article.pk}/preview-link/")
    article.refresh_from_db()
    assert bool(article.preview_token) is allowed
    if not allowed:
        assert response.status_code in (403, 404)


def test_history_restore_needs_change_permission_not_only_publishing(client, newsroom):
    """The admin's own rule, for a user the service does not treat as a writer."""
    desk_chief = factories.UserFactory(is_staff=True)
    desk_chief.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=["view_article", "publish_article"]
        )
    )
    article = newsroom.stories["own_published"]
    revision = article.history.earliest("history_date")
    before = stored(article)
    client.force_login(desk_chief)
    assert client.get(history_url(article, revision)).status_code == 200
    response = client.post(history_url(article, revision), posted(revision.instance))
    assert response.status_code == 403 and stored(article) == before
