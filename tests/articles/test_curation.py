import pytest
from django.core.cache import cache
from lxml import html

from articles.models import FrontPin, NewsroomPage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, editor):
    """An editor by group membership alone: the permissions come from the migrations."""
    client.force_login(editor)
    return client


def test_editor_pins_a_story_to_lead_the_front_from_the_admin(
    admin_client, editor, section, django_capture_on_commit_callbacks
):
    story = factories.article_published(by=editor, section=section, headline="Pinned one")
    factories.article_published(by=editor, section=section, headline="Newest one")
    cache.clear()
    assert admin_client.get("/admin/articles/frontpin/add/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/articles/frontpin/add/", {"article": story.pk, "position": 1}
        )
    assert response.status_code == 302
    assert FrontPin.objects.get().article == story
    front = html.fromstring(admin_client.get("/").content)
    assert front.cssselect(".front-lead h2")[0].text_content() == "Pinned one"


def test_editor_rewrites_a_newsroom_page_and_the_footer_follows(
    admin_client, django_capture_on_commit_callbacks
):
    page = NewsroomPage.objects.get(slug="masthead")
    admin_client.get("/")
    url = f"/admin/articles/newsroompage/{page.pk}/change/"
    assert admin_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {
                "title": "Our people",
                "slug": "masthead",
                "summary": "",
                "body": "<p>The editors.</p>",
                "position": 2,
                "in_footer": "on",
            },
        )
    assert response.status_code == 302
    footer = html.fromstring(admin_client.get("/").content).cssselect(".footer-nav")[0]
    assert "Our people" in footer.text_content()
