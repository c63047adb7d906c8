"""The live desk on a story's admin page: starting and ending coverage, posting, editing,
holding, approving and deleting updates, and the update that sends the breaking alert."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import html as lxml_html

from alerts.models import Alert
from articles import live_services
from articles.models import LiveCoverage, LiveUpdate, WorkflowEvent
from tests import factories
from tests.alerts.conftest import subscribers_bulk
from tests.articles.live_data import committed, live_story, update_post

pytestmark = pytest.mark.django_db
State = LiveUpdate.State


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def post_url(article) -> str:
    return reverse("admin:articles_article_live_post", args=[article.pk])


def update_url(article, update) -> str:
    return reverse("admin:articles_article_live_update", args=[article.pk, update.pk])


def update_data(**fields) -> dict:
    """The desk's form as posted (its fields carry the prefix "live")."""
    values = {"headline": "Ferries resume", "body": "<p>The first crossing left at 7.</p>"}
    return {f"live-{name}": value for name, value in (values | fields).items()}


@pytest.fixture
def byline_writer(db):
    writer = factories.writer_factory()
    factories.AuthorFactory(user=writer)
    return writer


@pytest.fixture
def story(editor, byline_writer, section):
    return live_story(editor=editor, section=section, authors=[byline_writer.author])


def test_an_editor_makes_a_story_live_posts_and_ends_it_from_its_page(
    client, editor, section, django_capture_on_commit_callbacks
):
    article = factories.article_published(by=editor, section=section)
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert 'id="live-desk"' in page and "Make this story live" in page
    live = reverse("admin:articles_article_live", args=[article.pk])
    response = client.post(live, {"action": "start", "writer_updates": "immediate"})
    assert response["Location"] == change_url(article) + "#live-desk"
    coverage = LiveCoverage.objects.get(pk=article.pk)
    assert coverage.is_running and coverage.writer_updates == "immediate"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), update_data(is_key_point="on"))
    update = LiveUpdate.objects.get()
    assert update.state == State.PUBLISHED and update.is_key_point
    assert "Ferries resume" in client.get(article.get_absolute_url()).content.decode()
    page = client.get(change_url(article)).content.decode()
    assert page.count('type="importmap"') == 1  # the story's editor and the update's share it
    client.post(live, {"action": "end"})
    coverage.refresh_from_db()
    assert not coverage.is_running and coverage.ended_at
    actions = set(article.events.values_list("action", flat=True))
    assert {"live_started", "update_posted", "live_ended"} <= actions


def test_a_writer_posts_from_the_read_only_page_of_their_published_story(
    client, story, editor, byline_writer
):
    editors = update_post(story, by=editor, n=1)
    client.force_login(byline_writer)
    page = client.get(change_url(story))
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.content)
    assert tree.cssselect("#live-desk form[data-live-desk-form]")
    assert not tree.cssselect("#article_form input[name=headline]")  # the story stays closed
    assert page.content.decode().count('type="importmap"') == 1  # the update's editor
    assert f'?live_update={editors.pk}"' not in page.content.decode()  # not theirs to edit
    assert "Make this story live" not in page.content.decode()
    client.post(post_url(story), update_data())
    held = LiveUpdate.objects.get(created_by=byline_writer)
    assert held.state == State.HELD
    client.post(update_url(story, editors), {"action": "delete"})
    client.post(update_url(story, editors), update_data(headline="Taken over"))
    editors.refresh_from_db()
    assert editors.state == State.PUBLISHED and editors.headline == "Update headline 1"
    client.force_login(editor)
    page = client.get(change_url(story)).content.decode()
    assert "Approve" in page
    client.post(update_url(story, held), {"action": "approve"})
    held.refresh_from_db()
    assert held.state == State.PUBLISHED


def test_an_update_is_edited_in_the_same_form_and_keeps_its_revisions(client, story, editor):
    update = update_post(story, by=editor, n=1)
    client.force_login(editor)
    page = client.get(change_url(story), {"live_update": update.pk}).content.decode()
    tree = lxml_html.fromstring(page)
    (form,) = tree.cssselect("form[data-live-desk-form]")
    assert form.get("action") == update_url(story, update)
    assert form.cssselect("input[name=live-headline]")[0].get("value") == "Update headline 1"
    client.post(update_url(story, update), update_data(headline="Ferries resume at 7"))
    update.refresh_from_db()
    assert update.headline == "Ferries resume at 7"
    page = client.get(change_url(story)).content.decode()
    assert "2 revisions" in page


def test_an_editor_corrects_an_update_after_the_coverage_ended(client, story, editor):
    update = update_post(story, by=editor, n=1)
    committed(lambda: live_services.live_end(coverage=story.live_coverage, by=editor))
    client.force_login(editor)
    page = client.get(change_url(story), {"live_update": update.pk}).content.decode()
    (form,) = lxml_html.fromstring(page).cssselect("form[data-live-desk-form]")
    assert form.get("action") == update_url(story, update)
    assert "New update" not in page  # nothing new is posted to a finished story
    client.post(update_url(story, update), update_data(headline="Corrected after the end"))
    update.refresh_from_db()
    assert update.headline == "Corrected after the end"


def test_a_form_with_errors_comes_back_as_typed(client, story, editor):
    client.force_login(editor)
    response = client.post(post_url(story), update_data(headline=""))
    assert response.status_code == 200
    assert "The first crossing left at 7." in response.content.decode()
    assert not LiveUpdate.objects.exists()


def test_an_update_with_a_picture_needs_its_alt_text(client, story, editor):
    client.force_login(editor)
    picture = SimpleUploadedFile("p.jpg", factories.jpeg_bytes(), content_type="image/jpeg")
    client.post(post_url(story), update_data(picture=picture))
    assert not LiveUpdate.objects.exists()
    picture.seek(0)
    client.post(
        post_url(story),
        update_data(picture=picture, picture_alt="A ferry", picture_credit="Desk"),
    )
    update = LiveUpdate.objects.get()
    assert update.image.alt_text == "A ferry" and update.image.credit == "Desk"


def test_an_update_is_the_moment_of_the_story_one_breaking_alert(client, story, editor):
    subscribers_bulk(3)
    client.force_login(editor)
    response = client.post(post_url(story), update_data(send_alert="on"))
    send = reverse("admin:alerts_alert_send", args=[story.pk])
    assert response["Location"] == send
    confirm = client.get(send).content.decode()
    assert "3" in lxml_html.fromstring(confirm).text_content()
    client.post(send)
    assert Alert.objects.filter(article=story).count() == 1
    assert WorkflowEvent.objects.filter(article=story, action="alert_sent").count() == 1
    page = client.get(change_url(story)).content.decode()
    assert 'name="live-send_alert"' not in page  # once per story
