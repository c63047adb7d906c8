"""The change form's autosave slot and presence line, through their endpoints."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from lxml import html as lxml_html

from articles import presence, services
from articles.models import Article, ArticleAutosave
from articles.scopes import stories_scopes
from newsroom.page_cache import VERSION_PREFIX, scopes_versions
from tests import factories
from tests.articles.live_data import live_story, update_post
from tests.articles.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def autosave_url(article):
    return f"/admin/articles/article/{article.pk}/autosave/"


def typed(article, **fields):
    return {"base_version": article.version, "headline": article.headline, **fields}


def test_autosaves_fill_one_slot_and_change_nothing_readers_or_the_history_see(client, writer):
    article = factories.article_create(by=writer)
    stored = Article.objects.values().get(pk=article.pk)
    client.force_login(writer)
    for n in range(5):
        body = f"<p>Typed so far: {n}</p><script>x()</script>"
        response = client.post(autosave_url(article), typed(article, body=body))
        assert response.status_code == 200
        assert "Autosaved at" in response.json()["text"]
    autosave = ArticleAutosave.objects.get()
    assert autosave.fields["body"] == "<p>Typed so far: 4</p>"
    assert (autosave.user, autosave.base_version) == (writer, 1)
    assert Article.objects.values().get(pk=article.pk) == stored
    assert article.history.count() == 1


def test_an_autosave_of_a_live_story_moves_none_of_the_scopes_readers_pages_follow(
    client, editor, django_capture_on_commit_callbacks
):
    article = factories.article_published(by=editor)
    scopes = stories_scopes([article.pk], front=True)
    before = {VERSION_PREFIX + name: v for name, v in scopes_versions(scopes).items()}
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(autosave_url(article), typed(article, body="<p>Not yet for readers</p>"))
    assert queued == []
    assert cache.get_many(before) == before


@pytest.mark.parametrize("whose", ["a colleague's draft", "their own published story"])
def test_a_writer_cannot_autosave_onto_a_story_they_may_not_edit(client, writer, editor, whose):
    if whose == "a colleague's draft":
        article = factories.article_create(by=factories.writer_factory())
    else:
        article = factories.article_published(by=editor)
        Article.objects.filter(pk=article.pk).update(created_by=writer)
    client.force_login(writer)
    response = client.post(autosave_url(article), typed(article, body="<p>Mine now</p>"))
    assert response.status_code in (403, 404)
    assert not ArticleAutosave.objects.exists()


def test_a_newer_autosave_is_offered_back_and_a_real_save_empties_the_slot(client, editor):
    article = factories.article_create(by=editor)
    client.force_login(editor)
    client.post(autosave_url(article), typed(article, body="<p>Unsaved paragraph.</p>"))

    page = client.get(change_url(article)).content.decode()
    assert "Your autosave of this story from" in page
    assert f'href="{change_url(article)}?autosave=restore"' in page

    restored = client.get(change_url(article) + "?autosave=restore")
    form = restored.context["adminform"].form
    assert form.initial["body"] == "<p>Unsaved paragraph.</p>"
    assert form.initial["base_version"] == 1

    data = form_data(article.section, slug=article.slug, body="<p>Unsaved paragraph.</p>")
    assert client.post(change_url(article), data | {"base_version": 1}).status_code == 302
    assert not ArticleAutosave.objects.exists()
    assert "Your autosave" not in client.get(change_url(article)).content.decode()


def test_an_autosave_outlives_a_live_update_and_a_colleagues_save(client, editor):
    """Neither moves the words this person typed: a live update only moves the story's
    update time, and a colleague's save is pointed out with the offer."""
    article = live_story(editor=editor)
    client.force_login(editor)
    client.post(autosave_url(article), typed(article, body="<p>Unsaved paragraph.</p>"))
    update_post(article, by=editor)
    page = client.get(change_url(article)).content.decode()
    assert "Your autosave of this story from" in page and "someone saved" not in page

    colleague = factories.editor_factory()
    article.refresh_from_db()
    article.dek = "A colleague's dek"
    services.article_save(article=article, by=colleague)
    page = client.get(change_url(article)).content.decode()
    assert "Your autosave of this story from" in page and "someone saved the story" in page


def test_presence_lists_the_others_with_the_form_open_and_writes_no_row(
    client, editor, django_assert_num_queries
):
    article = factories.article_create(by=editor)
    colleague = factories.editor_factory(first_name="Cal", last_name="Colleague")
    with django_assert_num_queries(0):
        assert presence.article_presence_ping(article_id=article.pk, user=colleague) == []
    client.force_login(editor)
    answer = client.post(f"/admin/articles/article/{article.pk}/presence/").json()
    assert answer["others"] == ["Cal Colleague"]
    assert answer["text"].startswith("Also open by Cal Colleague (since")
    later = timezone.now() + timezone.timedelta(seconds=presence.GONE_AFTER_SECONDS + 1)
    assert presence.article_presence_ping(article_id=article.pk, user=colleague, now=later) == []


def test_presence_of_a_story_a_writer_cannot_see_is_refused(client, writer):
    article = factories.article_create(by=factories.writer_factory())
    client.force_login(writer)
    assert client.post(f"/admin/articles/article/{article.pk}/presence/").status_code == 403


def test_an_autosave_that_holds_what_was_saved_is_not_offered(client, editor):
    photo = factories.ImageFactory()
    body = f'<p>Text.</p><img src="{photo.file.url}" alt="Boats">'
    article = factories.article_create(by=editor, body=body)
    client.force_login(editor)
    client.post(
        autosave_url(article), typed(article, body=body, slug=article.slug, dek=article.dek)
    )
    assert ArticleAutosave.objects.exists()
    assert "Your autosave" not in client.get(change_url(article)).content.decode()


@pytest.mark.parametrize("version", ["", "one", "0", "-3", "2", str(2**31), "9" * 30])
def test_an_autosave_with_a_version_no_story_has_is_a_clear_400(client, editor, version):
    article = factories.article_create(by=editor)
    client.force_login(editor)
    response = client.post(autosave_url(article), typed(article) | {"base_version": version})
    assert response.status_code == 400
    assert response.json()["error"] == "base_version"
    assert "Reload the page" in response.json()["text"]
    assert not ArticleAutosave.objects.exists()


def test_an_autosave_sent_before_the_writer_s_own_save_does_not_come_back(client, editor):
    """It left the browser as they clicked Save and arrived after: their save holds it. Text
    the save does not hold (another tab, a form brought back by Back) is kept."""
    article = factories.article_create(by=editor)
    client.force_login(editor)
    data = form_data(article.section, slug=article.slug, body="<p>Typed.</p>", base_version=1)
    assert client.post(change_url(article), data).status_code == 302
    sent = {name: data[name] for name in services.AUTOSAVED_FIELDS} | {"base_version": 1}
    late = client.post(autosave_url(article), sent)
    assert late.status_code == 200 and late.json()["text"] == "Saved."
    assert not ArticleAutosave.objects.exists()
    colleague = factories.editor_factory()
    article.refresh_from_db()
    article.dek = "A colleague's dek"
    services.article_save(article=article, by=colleague)
    assert "Your autosave" not in client.get(change_url(article)).content.decode()

    other_tab = sent | {"body": "<p>Typed in another tab.</p>"}
    assert "Autosaved at" in client.post(autosave_url(article), other_tab).json()["text"]
    assert "Your autosave of this story" in client.get(change_url(article)).content.decode()


def test_an_autosave_can_be_discarded_from_its_offer(client, editor):
    article = factories.article_create(by=editor)
    client.force_login(editor)
    client.post(autosave_url(article), typed(article, body="<p>Not wanted.</p>"))
    page = lxml_html.fromstring(client.get(change_url(article)).content)
    (discard,) = page.cssselect("form.autosave-discard")
    token = discard.cssselect("[name=csrfmiddlewaretoken]")[0].get("value")
    response = client.post(discard.get("action"), {"csrfmiddlewaretoken": token}, follow=True)
    assert "Your autosave of this story was discarded." in response.content.decode()
    assert not ArticleAutosave.objects.exists()
    assert client.get(discard.get("action")).status_code == 405
