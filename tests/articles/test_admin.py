"""Who may do what in the newsroom admin: anonymous, writer, editor."""

import pytest
from django.utils.timezone import localtime
from lxml import html as lxml_html

from articles import services
from articles.models import Article, Status
from tests import factories

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def form_data(section, workflow="save", **overrides):
    data = {
        "kicker": "update desk",
        "section": section.pk,
        "headline": "Harbour ferry returns",
        "slug": "harbour-ferry-returns",
        "dek": "The crossing reopens on Monday.",
        "dateline": "",
        "body": "<p>First.</p><p>Second.</p><script>x()</script>",
        "publish_at_0": "",
        "publish_at_1": "",
        "seo_title": "",
        "seo_description": "",
        "workflow": workflow,
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def change_data(article, workflow="save", **overrides):
    """The change form of a stored story, as opened now: its slug and the stored version."""
    opened = {
        "slug": article.slug,
        "base_version": Article.objects.values_list("version", flat=True).get(id=article.id),
    }
    return form_data(article.section, workflow, **opened | overrides)


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_reader_without_staff_cannot_enter(client, reader):
    client.force_login(reader)
    assert client.get("/admin/articles/article/").status_code == 302


def test_writer_creates_a_sanitised_draft_and_submits_it(client, writer, section):
    client.force_login(writer)
    response = client.post(ADD_URL, form_data(section, workflow="submit"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.status == Status.IN_REVIEW
    assert article.created_by == writer
    assert "<script>" not in article.body


def test_writer_is_not_offered_publishing_and_cannot_force_it(client, writer, section):
    client.force_login(writer)
    page = client.get(ADD_URL).content.decode()
    assert 'value="submit"' in page
    assert 'value="publish"' not in page and 'value="schedule"' not in page
    response = client.post(ADD_URL, form_data(section, workflow="publish"))
    assert response.status_code == 200
    assert "workflow" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_writer_cannot_touch_others_work_or_own_published_work(client, writer, editor):
    colleague = factories.writer_factory()
    others_draft = factories.article_create(by=colleague)
    own_published = factories.article_published(by=editor)
    own_published.created_by = writer
    own_published.save(update_fields=["created_by"])
    client.force_login(writer)
    assert client.get(change_url(others_draft)).status_code == 302
    response = client.post(
        change_url(own_published), form_data(own_published.section, headline="Changed")
    )
    assert response.status_code == 403
    own_published.refresh_from_db()
    assert own_published.headline != "Changed"
    listing = client.get("/admin/articles/article/").content.decode()
    assert others_draft.headline not in listing


def test_writer_has_no_publish_action(client, writer):
    factories.article_create(by=writer)
    client.force_login(writer)
    actions = client.get("/admin/articles/article/").context["action_form"].fields["action"]
    names = [name for name, _ in actions.choices]
    assert "submit_selected" in names
    assert "publish_selected" not in names and "unpublish_selected" not in names


def test_editor_publishes_from_the_change_form(client, editor, writer):
    article = factories.article_create(by=writer)
    services.article_submit(article=article, by=writer)
    client.force_login(editor)
    data = change_data(article, workflow="publish")
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert Article.objects.published().get() == article


def test_editor_schedules_and_unpublishes_in_bulk(client, editor):
    first = factories.article_published(by=editor)
    second = factories.article_published(by=editor)
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/",
        {"action": "unpublish_selected", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    assert not Article.objects.published().exists()


def test_editor_schedule_needs_a_time(client, editor):
    article = factories.article_create(by=editor)
    client.force_login(editor)
    response = client.post(change_url(article), change_data(article, workflow="schedule"))
    assert response.status_code == 200
    assert "publish_at" in response.context["adminform"].form.errors


def test_revision_history_records_and_restores(client, editor):
    article = factories.article_create(by=editor, headline="Original headline")
    client.force_login(editor)
    data = change_data(article, headline="Second headline")
    assert client.post(change_url(article), data).status_code == 302
    history = article.history.order_by("history_date")
    assert [h.headline for h in history] == ["Original headline", "Second headline"]
    assert history.last().history_user == editor
    first = history.first()
    history_page = client.get(f"/admin/articles/article/{article.pk}/history/")
    assert "Second headline" in history_page.content.decode()
    revert_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    assert client.get(revert_url).status_code == 200
    assert (
        client.post(revert_url, change_data(article, headline="Original headline")).status_code
        == 302
    )
    article.refresh_from_db()
    assert article.headline == "Original headline"


def test_share_preview_link_from_the_admin(client, editor):
    article = factories.article_create(by=editor)
    client.force_login(editor)
    client.post(f"/admin/articles/article/{article.pk}/preview-link/")
    article.refresh_from_db()
    assert article.preview_token
    client.post(f"/admin/articles/article/{article.pk}/preview-link/", {"revoke": "1"})
    article.refresh_from_db()
    assert article.preview_token == ""


def test_groups_exist_after_migrate():
    from django.contrib.auth.models import Group

    editors = Group.objects.get(name="Editors")
    writers = Group.objects.get(name="Writers")
    assert editors.permissions.filter(codename="publish_article").exists()
    assert not writers.permissions.filter(codename="publish_article").exists()


def test_rich_text_editor_import_map_is_allowed_by_hash_only(client, editor):
    import base64
    import hashlib
    import re

    client.force_login(editor)
    response = client.get(ADD_URL)
    page = response.content
    importmap = re.search(rb'<script type="importmap">(.*?)</script>', page, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(importmap.group(1)).digest()).decode()
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert f"'sha256-{digest}'" in script_src
    assert "unsafe-inline" not in policy


def test_restoring_a_draft_revision_keeps_the_story_published_and_links_revoked(client, editor):
    article = factories.article_create(by=editor, headline="Draft headline")
    draft_revision = article.history.get()
    token = services.article_preview_share(article=article, by=editor)
    services.article_preview_revoke(article=article, by=editor)
    services.article_publish(article=article, by=editor)
    client.force_login(editor)
    revert_url = f"/admin/articles/article/{article.pk}/history/{draft_revision.history_id}/"
    data = change_data(article, headline="Draft headline")
    assert client.post(revert_url, data).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert Article.objects.published().get() == article
    assert client.get(f"/preview/shared/{token}/").status_code == 404


def test_writer_cannot_read_others_revisions(client, writer):
    colleague = factories.writer_factory()
    others = factories.article_create(by=colleague, headline="Colleague's scoop")
    revision = others.history.get()
    own = factories.article_create(by=writer)
    client.force_login(writer)
    base = "/admin/articles/article"
    assert client.get(f"{base}/{own.pk}/history/").status_code == 200
    for url in [
        f"{base}/{others.pk}/history/",
        f"{base}/{others.pk}/history/{revision.history_id}/",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert b"Colleague's scoop" not in response.content


def test_queues_list_my_drafts_and_stories_in_review(client, writer, editor):
    mine = factories.article_create(by=editor, headline="Editor's own draft")
    byline = factories.article_create(
        by=writer,
        headline="Draft with the editor's byline",
        authors=[factories.AuthorFactory(user=editor)],
    )
    in_review = factories.article_create(by=writer, headline="Waiting for an editor")
    services.article_submit(article=in_review, by=writer)
    others_draft = factories.article_create(by=writer, headline="Someone else's draft")
    client.force_login(editor)

    def listed(queue):
        response = client.get("/admin/articles/article/", {"queue": queue})
        return {a.headline for a in response.context["cl"].result_list}

    assert listed("mine") == {mine.headline, byline.headline}
    assert listed("review") == {in_review.headline}
    assert others_draft.headline not in listed("mine")


def test_editors_see_the_audit_trail_and_writers_do_not(client, writer, editor, settings):
    settings.TIME_ZONE = "Asia/Jerusalem"
    article = factories.article_create(by=writer, headline="Audited story")
    services.article_submit(article=article, by=writer)
    services.article_publish(article=article, by=editor)
    client.force_login(editor)
    events = client.get("/admin/articles/workflowevent/")
    assert events.status_code == 200
    actions = {str(e.get_action_display()) for e in events.context["cl"].result_list}
    assert {"Created", "Submitted for review", "Published"} <= actions
    change_page = client.get(change_url(article)).content.decode()
    assert "Submitted for review" in change_page and writer.username in change_page
    submitted = article.events.get(action="submitted").at
    assert localtime(submitted).strftime("%Y-%m-%d %H:%M") in change_page  # the newsroom's time
    client.force_login(writer)
    assert client.get("/admin/articles/workflowevent/").status_code == 403


def test_publish_time_moves_only_by_scheduling(client, editor):
    article = factories.article_published(by=editor)
    published_at = article.publish_at
    client.force_login(editor)
    shown = lxml_html.fromstring(client.get(change_url(article)).content)
    as_shown = {
        name: shown.xpath(f"//input[@name='{name}']/@value")[0]
        for name in ("publish_at_0", "publish_at_1")
    }
    unchanged = change_data(article, **as_shown)
    assert client.post(change_url(article), unchanged).status_code == 302
    data = change_data(
        article,
        publish_at_0="2031-01-01",
        publish_at_1="08:00:00",
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "publish_at" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.publish_at == published_at


def test_editor_schedules_from_the_change_form(client, editor, settings):
    settings.TIME_ZONE = "UTC"
    article = factories.article_create(by=editor)
    client.force_login(editor)
    data = change_data(
        article,
        workflow="schedule",
        publish_at_0="2031-01-01",
        publish_at_1="08:00:00",
    )
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED
    assert article.publish_at.isoformat() == "2031-01-01T08:00:00+00:00"
    assert not Article.objects.published().exists()


def test_the_history_compares_the_body_s_words_not_its_html(client, editor):
    opening = " ".join(f"word{n}" for n in range(40))
    body = f"<p>{opening}</p><p>The ferry left at <strong>noon</strong> &amp; arrived late.</p>"
    article = factories.article_create(by=editor, body=body)
    first = article.history.get()
    client.force_login(editor)
    new_body = body.replace("<strong>noon</strong>", "<em>dawn</em>")
    same = {name: getattr(article, name) for name in ("kicker", "headline", "slug", "dek")}
    data = change_data(article, **same, body=new_body)
    assert client.post(change_url(article), data).status_code == 302

    history = lxml_html.fromstring(
        client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    )
    (diff,) = history.cssselect("[data-word-diff]")
    assert [d.text for d in diff.cssselect("del")] == ["noon"]
    assert [i.text for i in diff.cssselect("ins")] == ["dawn"]
    shown = diff.text_content()
    assert "<strong>" not in shown and "&amp;" not in shown and "& arrived late." in shown
    assert "word39 The ferry left at" in shown and "word0 " not in shown  # context, cut
    assert "…" in shown

    revision = lxml_html.fromstring(
        client.get(
            f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
        ).content.decode()
    )
    (restores,) = revision.cssselect("[data-restore-changes] [data-word-diff]")
    assert [d.text for d in restores.cssselect("del")] == ["dawn"]
    assert [i.text for i in restores.cssselect("ins")] == ["noon"]
