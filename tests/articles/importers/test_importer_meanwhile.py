"""What an import does while the newsroom works: a story it changes or takes down changes
on every page at once, a change made here while its pictures were fetched is kept, and the
job shows signs of life before every picture it fetches."""

from dataclasses import replace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from articles import curation, services
from articles.images import image_prepare_upload
from articles.importers import service
from articles.importers.media import MediaSource
from articles.importers.service import Importer, PageItem, Picture, StoryItem, Term
from articles.models import Article, NewsroomPage, Status
from articles.scopes import story_scope
from newsroom.page_cache import scopes_versions
from tests import factories
from tests.articles.live_data import committed

from .conftest import picture_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(editor):
    """A story that came in by an earlier import, published in its section."""
    section = factories.SectionFactory(name="Harbour", slug="harbour")
    article = committed(
        lambda: factories.article_published(by=editor, section=section, headline="Ferry news")
    )
    Article.objects.filter(pk=article.pk).update(
        import_key="wordpress:7", import_local_hash=service._local_hash(article)
    )
    return Article.objects.get(pk=article.pk)


def item(**fields) -> StoryItem:
    values = {
        "key": "wordpress:7",
        "label": "post 7 “Ferry news”",
        "headline": "Ferry news",
        "slug": "ferry-news",
        "excerpt": "",
        "body": "<p>As the export has it now.</p>",
        "status": Status.PUBLISHED,
        "publish_at": timezone.now() - timezone.timedelta(days=3),
        "updated_at": timezone.now(),
        "section": Term("Harbour", "harbour"),
    }
    return StoryItem(**values | fields)


def written_now(importer: Importer, story: StoryItem, monkeypatch) -> None:
    """The story in a batch of its own, written and committed; the import not finished."""
    monkeypatch.setattr(service, "BATCH_SIZE", 1)
    committed(lambda: importer.story(story))


def test_a_story_the_import_takes_down_or_moves_leaves_the_pages_at_once(imported, monkeypatch):
    """Each batch that changes stories moves what shows them, before and after, when it
    commits: not seconds later with the next batch, nor only when the import ends."""
    importer = Importer(media=MediaSource(fetch_urls=False))
    weather = Term("Weather", "weather")
    for change in (item(section=weather), item(status=Status.DRAFT, section=weather)):
        section = Article.objects.get(pk=imported.pk).section_id  # the one it leaves
        shown = {"list:front", f"list:section:{section}", story_scope(imported.pk)}
        before = scopes_versions(shown)
        written_now(importer, change, monkeypatch)
        after = scopes_versions(shown)
        assert [name for name in shown if after[name] == before[name]] == []
    assert Article.objects.get(pk=imported.pk).status == Status.DRAFT


class ChangedMeanwhile(MediaSource):
    """The old site's media host, slow enough that the desk changes the story meanwhile."""

    def __init__(self, change, log):
        super().__init__(fetch_urls=False)
        self.change, self.log = change, log

    def fetch(self, url):
        self.log.append("fetch")
        if self.change:
            self.change()
        return image_prepare_upload(ContentFile(picture_bytes((40, 30)), name="import"))


def the_story() -> Article:
    return Article.objects.get(import_key="wordpress:7")


def saved(editor):
    def change():
        article = the_story()
        article.headline = "Ferry news, as the desk has it"
        services.article_save(article=article, by=editor)

    return change


def unpublished(editor):
    """A workflow step, which moves no version."""
    return lambda: services.article_unpublish(article=the_story(), by=editor)


@pytest.mark.parametrize(
    ("change", "kept"),
    [
        (saved, {"headline": "Ferry news, as the desk has it", "status": Status.PUBLISHED}),
        (unpublished, {"headline": "Ferry news", "status": Status.UNPUBLISHED}),
    ],
)
def test_a_change_made_while_the_import_fetched_pictures_is_kept(
    imported, editor, monkeypatch, change, kept
):
    importer = Importer(media=ChangedMeanwhile(change(editor), []))
    lead = Picture(url="https://old.example/ferry.png", alt="The ferry")
    written_now(importer, item(body="<p>Newer text.</p>", lead=lead), monkeypatch)
    stored = Article.objects.get(pk=imported.pk)
    assert {"headline": stored.headline, "status": stored.status} == kept
    assert "Newer text" not in stored.body
    report = importer.finish()
    assert report.left == ["post 7 “Ferry news”"] and not report.updated["stories"]


def test_an_update_keeps_what_the_desk_changed_meanwhile_outside_the_import(
    imported, editor, monkeypatch
):
    """A preview link revoked while the batch's pictures were fetched stays revoked."""
    Article.objects.filter(pk=imported.pk).update(preview_token="shared-before")

    def revoke():
        services.article_preview_revoke(article=the_story(), by=editor)

    importer = Importer(media=ChangedMeanwhile(revoke, []))
    lead = Picture(url="https://old.example/ferry.png", alt="The ferry")
    written_now(importer, item(body="<p>Newer text.</p>", lead=lead), monkeypatch)
    stored = Article.objects.get(pk=imported.pk)
    assert "Newer text" in stored.body and stored.preview_token == ""


def test_the_job_shows_signs_of_life_before_each_picture(imported, monkeypatch):
    log = []
    importer = Importer(
        media=ChangedMeanwhile(None, log), on_progress=lambda done, total: log.append("beat")
    )
    pictures = "".join(
        f'<p><img src="https://old.example/{n}.png" alt="p{n}"></p>' for n in range(3)
    )
    written_now(importer, item(body=pictures), monkeypatch)
    assert log.count("fetch") == 3
    assert all(log[n - 1] == "beat" for n, entry in enumerate(log) if entry == "fetch")


def test_a_page_edited_while_the_import_fetched_its_pictures_is_kept(monkeypatch):
    page = PageItem(
        key="wordpress:30",
        label="page 30 “About us”",
        title="About us",
        slug="who-we-are",
        body="<p>We are a small newsroom.</p>",
    )
    committed(lambda: Importer(media=MediaSource(fetch_urls=False)).page(page))

    def edit():
        own = NewsroomPage.objects.get(import_key="wordpress:30")
        own.title = "About the newsroom"
        curation.newsroom_page_save(page=own)

    importer = Importer(media=ChangedMeanwhile(edit, []))
    picture = '<p><img src="https://old.example/team.png" alt="The team"></p>'
    committed(lambda: importer.page(replace(page, body=f"<p>Newer text.</p>{picture}")))
    stored = NewsroomPage.objects.get(import_key="wordpress:30")
    assert stored.title == "About the newsroom" and "Newer text" not in stored.body
    report = importer.finish()
    assert report.left == ["page 30 “About us”"] and not report.updated["pages"]


UNREADABLE = [
    "http://old.example:99999/a.png",
    f"http://{'a' * 64}.example/b.png",
    "http://[x/c.png",
]


def test_a_story_whose_pictures_have_unreadable_addresses_comes_in_without_them(settings):
    settings.IMPORT_FETCH_RESOLVER = "articles.importers.fetch.SystemResolver"
    importer = Importer(media=MediaSource())
    body = "".join(
        f'<p>Text {n}.</p><p><img src="{url}" alt="p"></p>' for n, url in enumerate(UNREADABLE)
    )
    story = item(key="wordpress:8", slug="harbour-day", body=body, lead=Picture(url=UNREADABLE[2]))
    committed(lambda: importer.story(story))
    report = importer.finish()
    article = Article.objects.get(import_key="wordpress:8")
    assert article.lead_image is None and "Text 2." in article.body
    assert sorted(
        url for _label, url, why in report.media_missing if "not a valid" in why
    ) == sorted(UNREADABLE)
