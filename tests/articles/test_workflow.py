from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, Status, WorkflowEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_writer_submits_but_cannot_publish(writer):
    article = factories.article_create(by=writer)
    services.article_submit(article=article, by=writer)
    assert article.status == Status.IN_REVIEW
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, by=writer)
    with pytest.raises(PermissionDenied):
        services.article_schedule(
            article=article, by=writer, publish_at=timezone.now() + timedelta(hours=1)
        )
    assert not Article.objects.published().exists()


def test_editor_publishes_and_unpublishes_with_audit_trail(editor, writer):
    article = factories.article_create(by=writer)
    services.article_submit(article=article, by=writer)
    services.article_publish(article=article, by=editor)
    assert Article.objects.published().get() == article
    services.article_unpublish(article=article, by=editor)
    assert not Article.objects.published().exists()
    actions = list(article.events.order_by("at", "id").values_list("action", "actor"))
    assert actions == [
        (WorkflowEvent.Action.CREATED, writer.pk),
        (WorkflowEvent.Action.SUBMITTED, writer.pk),
        (WorkflowEvent.Action.PUBLISHED, editor.pk),
        (WorkflowEvent.Action.UNPUBLISHED, editor.pk),
    ]


def test_scheduled_article_is_visible_exactly_from_its_moment(editor):
    now = timezone.now()
    moment = now + timedelta(hours=2)
    article = factories.article_create(by=editor)
    services.article_schedule(article=article, by=editor, publish_at=moment, now=now)
    published = Article.objects.published
    assert not published(now=moment - timedelta(microseconds=1)).exists()
    assert published(now=moment).get() == article
    assert published(now=moment + timedelta(seconds=1)).get() == article


def test_go_live_runs_once_for_due_stories(editor):
    now = timezone.now()
    article = factories.article_create(by=editor)
    services.article_schedule(
        article=article, by=editor, publish_at=now + timedelta(minutes=5), now=now
    )
    assert services.article_go_live_due(now=now) == 0
    later = now + timedelta(minutes=6)
    assert services.article_go_live_due(now=later) == 1
    assert services.article_go_live_due(now=later) == 0
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.first_published_at == now + timedelta(minutes=5)
    assert article.events.filter(action=WorkflowEvent.Action.WENT_LIVE).count() == 1


def test_schedule_needs_a_future_time(editor):
    article = factories.article_create(by=editor)
    with pytest.raises(ValidationError):
        services.article_schedule(
            article=article, by=editor, publish_at=timezone.now() - timedelta(minutes=1)
        )


def test_changing_a_published_slug_keeps_a_permanent_redirect(client, editor):
    article = factories.article_published(by=editor, slug="first-slug")
    article.slug = "second-slug"
    services.article_save(article=article, by=editor)
    response = client.get("/articles/first-slug/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/second-slug/"
    # Browsers keep a plain 301 for good; this one may still be changed by an editor.
    assert response["Cache-Control"] == "private, no-cache"
    assert client.get("/articles/second-slug/").status_code == 200


def test_draft_slug_change_leaves_no_redirect(client, editor):
    article = factories.article_create(by=editor, slug="draft-slug")
    article.slug = "draft-slug-2"
    services.article_save(article=article, by=editor)
    assert client.get("/articles/draft-slug/").status_code == 404


def test_drafts_are_unreachable_but_previewable(client, editor):
    article = factories.article_create(by=editor, slug="secret-draft")
    assert client.get("/articles/secret-draft/").status_code == 404
    assert client.get(f"/preview/{article.pk}/").status_code == 302
    token = services.article_preview_share(article=article, by=editor)
    response = client.get(f"/preview/shared/{token}/")
    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    services.article_preview_revoke(article=article, by=editor)
    assert client.get(f"/preview/shared/{token}/").status_code == 404
    client.force_login(editor)
    assert client.get(f"/preview/{article.pk}/").status_code == 200


def test_writer_previews_only_own_work(client, writer, editor):
    own = factories.article_create(by=writer, headline="My own draft")
    colleague = factories.writer_factory()
    others = factories.article_create(by=colleague, headline="A colleague's draft")
    client.force_login(writer)
    response = client.get(f"/preview/{own.pk}/")
    assert response.status_code == 200 and b"My own draft" in response.content
    assert "private" in response["Cache-Control"]
    assert client.get(f"/preview/{others.pk}/").status_code == 404
    client.force_login(editor)
    assert client.get(f"/preview/{others.pk}/").status_code == 200


def test_redirect_of_an_unpublished_story_is_gone_with_it(client, editor):
    article = factories.article_published(by=editor, slug="old-address")
    article.slug = "new-address"
    services.article_save(article=article, by=editor)
    assert client.get("/articles/old-address/").status_code == 301
    services.article_unpublish(article=article, by=editor)
    assert client.get("/articles/old-address/").status_code == 404
    assert client.get("/articles/new-address/").status_code == 404


def test_an_edit_never_moves_the_workflow(editor):
    """A stale instance (or a restored revision) carries an old status and preview token."""
    article = factories.article_create(by=editor)
    stale = Article.objects.get(pk=article.pk)
    token = services.article_preview_share(article=article, by=editor)
    services.article_preview_revoke(article=article, by=editor)
    services.article_publish(article=article, by=editor)
    stale.preview_token = token
    stale.headline = "Edited from an old copy"
    services.article_save(article=stale, by=editor)
    article.refresh_from_db()
    assert article.headline == "Edited from an old copy"
    assert article.status == Status.PUBLISHED and article.first_published_at
    assert article.preview_token == ""
    assert Article.objects.published().get() == article


def test_a_shared_preview_link_shows_a_story_only_before_it_goes_out(client, editor):
    article = factories.article_create(by=editor, headline="Embargoed until noon")
    token = services.article_preview_share(article=article, by=editor)
    services.article_schedule(
        article=article, by=editor, publish_at=timezone.now() + timedelta(hours=1)
    )
    assert b"Embargoed until noon" in client.get(f"/preview/shared/{token}/").content

    services.article_publish(article=article, by=editor)
    response = client.get(f"/preview/shared/{token}/")  # now the public page, metered
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()

    services.article_unpublish(article=article, by=editor)
    assert client.get(f"/preview/shared/{token}/").status_code == 404
    article.refresh_from_db()
    assert article.preview_token == ""


def test_a_deleted_story_leaves_the_stored_pages(
    client, editor, django_capture_on_commit_callbacks
):
    article = factories.article_published(by=editor, slug="to-be-deleted")
    assert client.get("/articles/to-be-deleted/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert client.get("/articles/to-be-deleted/").status_code == 404


def test_writer_saves_only_own_stories_before_they_go_out(writer, editor):
    own = factories.article_create(by=writer)
    services.article_submit(article=own, by=writer)
    services.article_publish(article=own, by=editor)
    colleagues = factories.article_create(by=factories.writer_factory())
    for story in (own, colleagues):
        stale = Article.objects.get(pk=story.pk)
        stale.headline = "Rewritten by the writer"
        with pytest.raises(PermissionDenied):
            services.article_save(article=stale, by=writer)
        story.refresh_from_db()
        assert story.headline != "Rewritten by the writer"


def test_a_writers_save_keeps_the_editors_flags(writer, editor):
    flags = {"is_free": True, "is_breaking": True, "alert_at_go_live": True}
    created = factories.article_create(by=writer, **flags)
    assert not (created.is_free or created.is_breaking or created.alert_at_go_live)
    for name, value in flags.items():
        setattr(created, name, value)
    services.article_save(article=created, by=writer)
    created.refresh_from_db()
    assert not (created.is_free or created.is_breaking or created.alert_at_go_live)
    for name, value in flags.items():
        setattr(created, name, value)
    services.article_save(article=created, by=editor)
    created.refresh_from_db()
    assert created.is_free and created.is_breaking and created.alert_at_go_live
