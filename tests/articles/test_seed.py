import re

import pytest
from django.core.management import call_command

from articles.models import Article, Image, LiveCoverage, LiveUpdate, Section, Status, Tag
from articles.models.media import Rendition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_pictures(monkeypatch):
    """The same seeding path, with smaller pictures so that renditions are quick to make."""
    from articles.management.commands import seed_demo

    monkeypatch.setattr(seed_demo, "IMAGE_SIZE", (480, 270))


def _counts():
    return (Article.objects.count(), Image.objects.count(), Rendition.objects.count())


def test_seed_demo_is_complete_and_idempotent(settings):
    settings.SECURE = False
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first

    published = Article.objects.published()
    assert published.count() >= 30
    assert published.filter(is_free=False).count() >= 26
    assert published.filter(is_free=True).exists()
    assert Article.objects.filter(status=Status.DRAFT).count() == 1
    scheduled = Article.objects.get(status=Status.SCHEDULED)
    assert scheduled not in published
    for article in published:
        assert len(re.findall(r"<p>", article.body)) >= 6
        assert len(re.sub(r"<[^>]+>", " ", article.body).split()) >= 300
        assert article.lead_image.alt_text and article.lead_image.credit
        assert article.bylines.exists()
        if not LiveCoverage.objects.filter(pk=article.pk).exists():
            assert article.updated_at == article.publish_at, "a fresh story shows no 'Updated'"
    assert not Rendition.objects.filter(image__isnull=True).exists()
    assert Rendition.objects.values("image").distinct().count() == Image.objects.count()


def test_demo_accounts_are_refused_with_https_settings(settings):
    from django.core.management.base import CommandError

    settings.SECURE = True
    with pytest.raises(CommandError, match="local run"):
        call_command("seed_demo", verbosity=0)
    assert not Article.objects.exists()


def test_without_accounts_the_newsroom_itself_publishes_the_demo(settings):
    """Where no editor exists yet (a production box), the stories are still published."""
    settings.SECURE = True
    call_command("seed_demo", "--no-accounts", "--articles", "20", verbosity=0)
    assert Article.objects.published().count() >= 50
    assert Article.objects.filter(slug__startswith="generated-").count() == 20
    scheduled = Article.objects.get(status=Status.SCHEDULED)
    assert scheduled.events.get(action="scheduled").actor is None


def test_generated_sections_and_stories_add_up_on_a_second_run(settings):
    settings.SECURE = False
    call_command("seed_demo", "--sections", "3", "--articles", "5", verbosity=0)
    call_command("seed_demo", "--sections", "2", "--articles", "4", verbosity=0)
    assert Section.objects.filter(slug__startswith="desk-").count() == 5
    generated = Article.objects.published().filter(slug__startswith="generated-")
    assert generated.count() == 9
    assert all(article.bylines.exists() for article in generated)


def test_seed_demo_has_a_live_metered_story_in_a_running_story_hub(settings, client):
    settings.SECURE = False
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    (coverage,) = LiveCoverage.objects.select_related("article")
    story = coverage.article
    assert coverage.is_running and not story.is_free and story.is_live()
    updates = LiveUpdate.objects.shown().filter(coverage=coverage)
    assert updates.count() == 12
    assert updates.filter(is_key_point=True).count() == 2
    assert updates.filter(is_pinned=True).count() == 1
    assert updates.filter(is_correction=True).count() == 1
    pictured = updates.get(image__isnull=False)
    assert pictured.image.alt_text and pictured.image.credit
    assert all(update.author for update in updates)
    hub = Tag.objects.get(slug="ferry-strike")
    assert story.tags.filter(pk=hub.pk).exists() and hub.articles.count() == 3
    page = client.get(hub.get_absolute_url()).content.decode()
    assert page.index('class="live-hub"') < page.index('class="story-list"')
