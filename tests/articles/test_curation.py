import pytest
from django.core.cache import cache
from lxml import html

from articles import curation
from articles.models import FrontPin, NewsroomPage
from tests import factories
from tests.articles.reader_data import picture

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


def test_pictures_on_a_newsroom_page_get_their_box(client):
    photo = picture(width=600, height=400, alt_text="The newsroom at night", renditions=False)
    page = NewsroomPage.objects.get(slug="about")
    page.body = f'<p>Where we work.</p><img src="{photo.file.url}">'
    curation.newsroom_page_save(page=page)
    (img,) = html.fromstring(client.get(page.get_absolute_url()).content).cssselect("main img")
    assert (img.get("width"), img.get("height")) == ("600", "400")
    assert img.get("alt") == "The newsroom at night" and img.get("loading") == "lazy"
