"""Two people on one story: a save made on an older version is refused, whatever the path."""

import pytest
from django.utils.timezone import localtime

from articles import services
from articles.models import Article
from articles.versions import ArticleChangedMeanwhile
from tests import factories
from tests.articles.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def test_a_save_on_an_older_version_is_refused_and_names_who_what_and_when(editor, writer):
    editor.first_name, editor.last_name = "Edna", "Editor"
    editor.save()
    article = factories.article_create(by=writer, headline="Ferry returns", dek="On Monday.")
    writers_copy = Article.objects.get(pk=article.pk)
    editors_copy = Article.objects.get(pk=article.pk)
    editors_copy.headline, editors_copy.dek = "Ferry returns early", "On Saturday."
    services.article_save(article=editors_copy, by=editor)

    writers_copy.body = "<p>The writer's new paragraph.</p>"
    with pytest.raises(ArticleChangedMeanwhile) as refused:
        services.article_save(article=writers_copy, by=writer)

    message = str(refused.value.conflict)
    assert "Edna Editor" in message
    assert "changing: headline, dek." in message
    assert "“Ferry returns early”" in message and "“On Saturday.”" in message
    assert localtime(editors_copy.updated_at).strftime("%-d %b %Y") in message
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.dek) == ("Ferry returns early", "On Saturday.")
    assert stored.body == article.body and stored.version == 2


def test_each_save_moves_the_version_on_and_a_fresh_copy_saves(editor):
    article = factories.article_create(by=editor)
    assert article.version == 1
    services.article_save(article=article, by=editor)
    fresh = Article.objects.get(pk=article.pk)
    fresh.headline = "Another headline"
    services.article_save(article=fresh, by=editor)
    assert Article.objects.get(pk=article.pk).version == 3


def test_a_stale_form_is_refused_keeps_the_text_and_a_second_save_replaces(client, editor):
    article = factories.article_create(by=editor, headline="Ferry returns")
    colleague = factories.editor_factory(first_name="Cal", last_name="Colleague")
    opened = form_data(article.section, slug=article.slug, base_version=article.version)
    theirs = Article.objects.get(pk=article.pk)
    theirs.headline = "Ferry returns early"
    services.article_save(article=theirs, by=colleague)

    client.force_login(editor)
    mine = opened | {"dek": "My new dek.", "headline": "Ferry returns"}
    refused = client.post(change_url(article), mine)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Cal Colleague saved this story" in page and "Ferry returns early" in page
    assert f'href="{change_url(article)}" target="_blank"' in page
    assert "My new dek." in page  # the writer's text is still in the form
    assert "changed successfully" not in page
    stored = Article.objects.get(pk=article.pk)
    assert stored.headline == "Ferry returns early" and stored.dek != "My new dek."

    form = refused.context["adminform"].form
    again = mine | {"base_version": form.data["base_version"]}
    assert client.post(change_url(article), again).status_code == 302
    assert Article.objects.get(pk=article.pk).dek == "My new dek."


def test_restoring_a_revision_from_a_stale_page_is_refused(client, editor):
    article = factories.article_create(by=editor, headline="Original headline")
    first = article.history.get()
    client.force_login(editor)
    revert_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    shown = client.get(revert_url).context["adminform"].form.initial["base_version"]
    assert shown == 1
    later = Article.objects.get(pk=article.pk)
    later.headline = "Later headline"
    services.article_save(article=later, by=factories.editor_factory())
    data = form_data(article.section, slug=article.slug, headline="Original headline")
    response = client.post(revert_url, data | {"base_version": shown})
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).headline == "Later headline"


def test_a_change_form_that_does_not_say_its_version_is_refused(client, editor):
    article = factories.article_create(by=editor, headline="Stored headline")
    client.force_login(editor)
    for missing in ({}, {"base_version": ""}):
        data = form_data(article.section, slug=article.slug, headline="Typed") | missing
        response = client.post(change_url(article), data)
        assert response.status_code == 200
        assert "did not say which version" in response.content.decode()
        form = response.context["adminform"].form
        assert form["headline"].value() == "Typed"  # nothing typed is lost
    assert Article.objects.get(pk=article.pk).headline == "Stored headline"
    again = data | {"base_version": form["base_version"].value()}  # saving it knowingly
    assert client.post(change_url(article), again).status_code == 302
    assert Article.objects.get(pk=article.pk).headline == "Typed"
