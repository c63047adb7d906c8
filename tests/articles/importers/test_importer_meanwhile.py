"""What an import does while the newsroom works: a story it changes or takes down changes
on every page at once, a save made here while its pictures were fetched is kept, and the
job shows signs of life before every picture it fetches."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from articles import services
from articles.images import image_prepare_upload
from articles.importers import service
from articles.importers.media import MediaSource
from articles.importers.service import Importer, Picture, StoryItem, Term
from articles.models import Article, Status
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


def desk_edit(article, editor):
    article.headline = "Ferry news, as the desk has it"
    services.article_save(article=article, by=editor)


def desk_unpublish(article, editor):
    services.article_unpublish(article=article, by=editor)


class ChangedMeanwhile(MediaSource):
    """The old site's media host, slow enough that the desk changes the story meanwhile."""

    def __init__(self, log, change=None, editor=None):
        super().__init__(fetch_urls=False)
        self.log, self.change, self.editor = log, change, editor

    def fetch(self, url):
        self.log.append("fetch")
        if self.change:
            self.change(Article.objects.get(import_key="wordpress:7"), self.editor)
        return image_prepare_upload(ContentFile(picture_bytes((40, 30)), name="import"))


@pytest.mark.parametrize("change", [desk_edit, desk_unpublish])
def test_a_change_made_while_the_import_fetched_pictures_is_kept(
    imported, editor, monkeypatch, change
):
    made = Article.objects.get(pk=imported.pk)
    importer = Importer(media=ChangedMeanwhile([], change, editor))
    lead = Picture(url="https://old.example/ferry.png", alt="The ferry")
    written_now(importer, item(body="<p>Newer text.</p>", lead=lead), monkeypatch)
    stored = Article.objects.get(pk=imported.pk)
    assert "Newer text" not in stored.body
    if change is desk_edit:
        assert stored.headline == "Ferry news, as the desk has it"
    else:
        assert stored.status != made.status == Status.PUBLISHED
    report = importer.finish()
    assert report.left == ["post 7 “Ferry news”"]
    assert "Updated: none" in "\n".join(report.lines())


def test_the_job_shows_signs_of_life_before_each_picture(imported, monkeypatch):
    log = []
    importer = Importer(
        media=ChangedMeanwhile(log), on_progress=lambda done, total: log.append("beat")
    )
    pictures = "".join(
        f'<p><img src="https://old.example/{n}.png" alt="p{n}"></p>' for n in range(3)
    )
    written_now(importer, item(body=pictures), monkeypatch)
    assert log.count("fetch") == 3
    assert all(log[n - 1] == "beat" for n, entry in enumerate(log) if entry == "fetch")
