"""Pictures in the body: uploaded from the editor into the library through the admin's checks,
shown to readers with renditions and credit like the lead picture, and their stories' stored
pages moved when the picture changes."""

import importlib
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html as lxml_html

from articles.models import Article, Image
from articles.renditions import image_renditions_create
from articles.scopes import story_scope
from articles.services import article_save
from newsroom.page_cache import scopes_versions
from tests import factories
from tests.articles.reader_data import picture, rich_article

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/articles/image/upload/"


def upload(client, **fields):
    data = {"file": SimpleUploadedFile("quay.jpg", factories.jpeg_bytes(1200, 800))}
    data |= {"alt_text": "Fishing boats at the quay", "caption": "", "credit": ""} | fields
    return client.post(UPLOAD_URL, data)


def test_a_writer_uploads_from_the_editor_into_the_library(
    client, writer, django_capture_on_commit_callbacks
):
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, caption="Before dawn.", credit="Port office")
    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json() == {
        "id": image.pk,
        "src": image.file.url,
        "alt": "Fishing boats at the quay",
        "caption": "Before dawn.",
        "credit": "Port office",
        "width": 1200,
        "height": 800,
    }
    assert image.file.url.startswith("/media/images/")
    assert image.uploaded_by == writer
    assert image.renditions.filter(width=640).exists()  # queued as the admin's form queues them


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"alt_text": ""}, "alt_text"),
        ({"file": SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>")}, "file"),
        ({"file": SimpleUploadedFile("x.jpg", b"not a picture")}, "file"),
    ],
)
def test_an_upload_the_checks_refuse_is_named_and_stores_nothing(client, writer, fields, field):
    client.force_login(writer)
    response = upload(client, **fields)
    assert response.status_code == 400
    assert response.json()["errors"][field]
    assert Image.objects.count() == 0


def test_only_staff_who_may_add_pictures_upload_and_only_by_post(client, reader, writer):
    assert upload(client).status_code == 302  # to the sign-in
    client.force_login(reader)
    assert upload(client).status_code == 302
    client.force_login(writer)
    assert client.get(UPLOAD_URL).status_code == 405
    assert Image.objects.count() == 0


def test_the_image_page_shows_the_address_a_body_can_use(client, writer):
    image = factories.ImageFactory(uploaded_by=writer)
    client.force_login(writer)
    doc = lxml_html.fromstring(client.get(f"/admin/articles/image/{image.pk}/change/").content)
    (link,) = doc.cssselect(".file-upload a")
    assert link.text == link.get("href") == image.file.url
    assert image.file.url.startswith("/media/") and not image.file.name.startswith("/media/")


def test_the_editor_is_given_the_upload_address_and_the_embed_allow_list(client, writer):
    client.force_login(writer)
    doc = lxml_html.fromstring(client.get("/admin/articles/article/add/").content)
    (body,) = doc.cssselect("textarea[name=body]")
    config = json.loads(body.get("data-django-prose-editor-configurable"))
    extensions = config["extensions"]
    assert extensions["BodyPictures"] == {"uploadUrl": UPLOAD_URL}
    names = [provider["name"] for provider in extensions["BodyEmbeds"]["providers"]]
    assert names == ["youtube", "vimeo", "x"]
    assert "NoSpellCheck" not in extensions  # the browser checks spelling
    assert [m.rsplit("/", 1)[-1] for m in config["js_modules"]] == [
        "pictures.js",
        "embeds.js",
        "counts.js",
        "keep_pictures.js",
        "paste.js",
    ]


def test_readers_get_body_pictures_with_renditions_box_and_credit(client, editor, section):
    inline = picture(width=1000, height=600, alt_text="Library alt", credit="Photo: Port office")
    body = (
        "<p>First paragraph.</p><p>Second paragraph.</p>"
        f'<figure><img src="{inline.file.url}" alt="Ferry at the quay">'
        "<figcaption>At the quay</figcaption></figure><p>Third.</p>"
    )
    article = rich_article(editor=editor, section=section, body=body)
    assert list(article.body_images.all()) == [inline]
    doc = lxml_html.fromstring(client.get(article.get_absolute_url()).content)
    (figure,) = doc.cssselect("[data-article-body] figure.body-picture")
    img = figure.cssselect("picture img")[0]
    assert (img.get("width"), img.get("height"), img.get("alt")) == (
        "1000",
        "600",
        "Ferry at the quay",
    )
    assert "960w" in img.get("srcset") and img.get("sizes") and img.get("loading") == "lazy"
    assert "640w" in figure.cssselect("picture source[type='image/webp']")[0].get("srcset")
    assert figure.cssselect("figcaption")[0].text_content() == "At the quay Photo: Port office"


def test_new_renditions_or_a_new_credit_move_the_stories_that_show_the_picture(
    editor, section, django_capture_on_commit_callbacks
):
    inline = picture(renditions=False)
    body = f'<p>One.</p><p>Two.</p><figure><img src="{inline.file.url}" alt="A"></figure>'
    article = factories.article_published(by=editor, section=section, body=body)
    elsewhere = factories.article_published(by=editor, section=section)
    scopes = [story_scope(article.pk), story_scope(elsewhere.pk)]
    before = scopes_versions(scopes)
    with django_capture_on_commit_callbacks(execute=True):
        image_renditions_create(image=inline)
    made = scopes_versions(scopes)
    assert made[scopes[0]] != before[scopes[0]] and made[scopes[1]] == before[scopes[1]]
    inline.credit = "Photo: Archive"
    with django_capture_on_commit_callbacks(execute=True):
        inline.save()
    assert scopes_versions(scopes)[scopes[0]] != made[scopes[0]]


def test_a_picture_taken_out_of_the_body_no_longer_counts_as_shown(editor, section):
    inline = picture(renditions=False)
    body = f'<p>One.</p><figure><img src="{inline.file.url}" alt="A"></figure>'
    article = factories.article_create(by=editor, section=section, body=body)
    assert list(inline.in_bodies.all()) == [article]
    article.body = "<p>One.</p>"
    article_save(article=article, by=editor)
    assert not inline.in_bodies.exists()


def test_stories_saved_before_are_linked_to_their_pictures_by_the_migration(editor, section):
    inline, other = picture(renditions=False), picture(renditions=False)
    body = f'<p>One.</p><figure><img src="{inline.file.url}" alt="A"></figure>'
    article = factories.article_create(by=editor, section=section, body=body)
    factories.article_create(by=editor, section=section)  # no picture
    Article.body_images.through.objects.all().delete()
    migration = importlib.import_module("articles.migrations.0016_body_pictures_and_embeds")
    migration.body_pictures_link(apps, None)
    assert list(inline.in_bodies.all()) == [article] and not other.in_bodies.exists()
