import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html
from PIL import Image as PILImage

from articles.models import Image, Rendition
from articles.renditions import image_renditions_create, picture_for, rendition_widths
from articles.tasks import image_renditions_task
from tests import factories
from tests.articles.reader_data import picture, rich_article

pytestmark = pytest.mark.django_db


def test_widths_never_upscale():
    assert rendition_widths(200) == [200]
    assert rendition_widths(1000) == [320, 640, 960, 1000]
    assert rendition_widths(4000) == [320, 640, 960, 1280, 1600]


def test_renditions_are_made_once_in_both_formats():
    image = picture(width=1000, height=500, renditions=False)
    assert image_renditions_create(image=image) == 8
    assert image_renditions_create(image=image) == 0
    made = {(r.format, r.width, r.height) for r in image.renditions.all()}
    assert ("webp", 320, 160) in made and ("jpeg", 1000, 500) in made
    webp = image.renditions.get(format="webp", width=640)
    with webp.file.open("rb") as f, PILImage.open(f) as decoded:
        assert decoded.format == "WEBP" and decoded.size == (640, 320)


def test_page_falls_back_to_the_original_until_renditions_exist(client, editor, section):
    image = picture(width=900, height=600, renditions=False)
    article = rich_article(editor=editor, section=section, lead_image=image)
    doc = html.fromstring(client.get(article.get_absolute_url()).content)
    img = doc.cssselect("figure.lead-image img")[0]
    assert img.get("src") == image.file.url
    assert img.get("srcset") is None and img.get("sizes") is None
    assert (img.get("width"), img.get("height")) == ("900", "600")
    assert not doc.cssselect("figure.lead-image source")
    image_renditions_task.delay(image.pk)
    shown = picture_for(Image.objects.prefetch_related("renditions").get(pk=image.pk))
    assert shown.src.endswith("-900.jpg") and "320w" in shown.webp_srcset


def test_admin_upload_queues_renditions_after_commit(
    client, editor, django_capture_on_commit_callbacks
):
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    upload = SimpleUploadedFile(
        "harbour.jpg", factories.jpeg_bytes(700, 400), content_type="image/jpeg"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/admin/articles/image/add/",
            {"file": upload, "alt_text": "Boats in the harbour", "caption": "", "credit": ""},
        )
    assert response.status_code == 302, response.content[:2000]
    image = Image.objects.get()
    assert not image.renditions.exists()
    for callback in callbacks:
        callback()
    assert Rendition.objects.filter(image=image).count() == 2 * len(rendition_widths(700))
