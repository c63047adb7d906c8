"""The admin offers only what works for whoever uses it, and says plainly what it refused."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from lxml import html as lxml_html

from articles import services
from articles.models import Article, Status
from tests import factories
from tests.articles.test_admin import change_data, change_url

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/articles/article/"


def shown_messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_a_writer_is_offered_no_publish_time_nor_the_editors_flags(client, writer):
    article = factories.article_create(by=writer)
    client.force_login(writer)
    form = client.get(change_url(article)).context["adminform"].form
    for name in ("publish_at", "is_free", "is_breaking", "alert_at_go_live"):
        assert name not in form.fields, name
    assert [key for key, _label in form.fields["workflow"].choices] == ["save", "submit"]


def test_an_editor_still_sets_the_publish_time(client, editor):
    article = factories.article_create(by=editor)
    client.force_login(editor)
    form = client.get(change_url(article)).context["adminform"].form
    assert {"publish_at", "is_free", "is_breaking"} <= set(form.fields)


def test_a_refused_workflow_step_shows_its_error_and_no_success(client, editor):
    article = factories.article_create(by=editor, headline="Old headline")
    client.force_login(editor)
    past = {"publish_at_0": "2020-01-01", "publish_at_1": "08:00:00"}
    same = {"headline": "New headline", "slug": article.slug, **past}
    response = client.post(
        change_url(article), change_data(article, workflow="schedule", **same), follow=True
    )
    shown = shown_messages(response)
    assert [level for level, _text in shown] == ["error"], shown
    assert "was refused" in shown[0][1] and "in the future" in shown[0][1]
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert Article.objects.get(pk=article.pk).headline == "New headline"


def test_a_step_that_goes_through_still_says_so(client, editor):
    article = factories.article_create(by=editor)
    client.force_login(editor)
    data = change_data(article, workflow="submit")
    response = client.post(change_url(article), data, follow=True)
    assert [level for level, _text in shown_messages(response)] == ["success"]


def test_a_bulk_action_with_refusals_shows_no_success(client, editor, section):
    draft = factories.article_create(by=editor, section=section, headline="A draft")
    pulled = factories.article_published(section=section, headline="Pulled one")
    services.article_unpublish(article=pulled, by=editor)
    client.force_login(editor)

    both = {"action": "unpublish_selected", "_selected_action": [draft.pk, pulled.pk]}
    shown = shown_messages(client.post(CHANGELIST, both, follow=True))
    assert [level for level, _text in shown] == ["error"], shown
    assert "0 unpublished" in shown[0][1] and "A draft:" in shown[0][1]

    live = factories.article_published(section=section, headline="Live one")
    mixed = {"action": "unpublish_selected", "_selected_action": [draft.pk, live.pk]}
    shown = shown_messages(client.post(CHANGELIST, mixed, follow=True))
    assert [level for level, _text in shown] == ["warning"], shown
    assert "1 unpublished" in shown[0][1] and "A draft:" in shown[0][1]
    assert Article.objects.get(pk=live.pk).status == Status.UNPUBLISHED


def test_an_unpublished_story_offers_no_shared_preview_and_says_why(client, editor, section):
    article = factories.article_published(section=section)
    services.article_unpublish(article=article, by=editor)
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert "data-preview-refusal" in page and "cannot be previewed by a shared link" in page
    assert "Share preview link" not in page

    response = client.post(f"/admin/articles/article/{article.pk}/preview-link/", follow=True)
    shown = shown_messages(response)
    assert [level for level, _text in shown] == ["error"], shown
    assert Article.objects.get(pk=article.pk).preview_token == ""


def test_a_shared_preview_has_no_share_buttons(editor):
    article = factories.article_create(by=editor)
    token = services.article_preview_share(article=article, by=editor)
    response = Client().get(f"/preview/shared/{token}/")
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content.decode())
    assert not doc.cssselect("section.share")
    assert not [m for m in get_messages(response.wsgi_request)]
