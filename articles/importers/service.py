"""Writing what an export holds: stories, pages, authors, sections, tags, comments, redirects.

The readers (wordpress.py, ghost.py) turn their format into the items below; `Importer`
writes each item in its own short transaction, so a site served from SQLite stays up, and
fills a `Report`. Statuses are set directly, not through the workflow: an archive going
live again is no news, so no alert, breaking flag or go-live work follows it.

A story is matched by its source's id (`Article.import_key`). `import_hash` is a hash of
the item as the source held it (the same file again changes nothing); `import_local_hash`
is one of what the import wrote, so a story edited here since is told apart and left alone.
"""

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, is_dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from articles import renditions
from articles.images import body_images_sync, body_pictures_complete
from articles.importers.bodies import (
    body_picture_sources,
    body_pictures_replace,
    first_paragraph_text,
    plain_text,
)
from articles.importers.media import MediaMissing, MediaSource
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Comment,
    Image,
    NewsroomPage,
    Redirect,
    Section,
    Status,
    Tag,
    WorkflowEvent,
)
from articles.sanitize import sanitize_body
from articles.scopes import CHROME, stories_scopes, story_scope
from articles.search_index import article_search_document_refresh
from newsroom.page_cache import scopes_changed

DEFAULT_SECTION = ("Archive", "archive")
# Stories written to a transaction: a fraction of a second of writing, which a site served
# from SQLite waits out; one transaction each would spend more on commits than on the rest.
BATCH_SIZE = 50
# What readers see of an import (its stories on the lists, the front, the sitemaps) may lag
# its writing by this much: moving the scopes of every batch would cost more than writing it.
SCOPES_SECONDS = 5.0


class ImportFileError(Exception):
    """The file cannot be read, or is not an export of the kind expected."""


@dataclass
class Term:
    name: str
    slug: str


@dataclass
class Picture:
    url: str
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class AuthorItem:
    name: str
    slug: str
    bio: str = ""
    picture: Picture | None = None
    old_paths: list[str] = field(default_factory=list)


@dataclass
class CommentItem:
    name: str
    body: str
    created_at: datetime


@dataclass
class StoryItem:
    key: str
    label: str
    headline: str
    slug: str
    excerpt: str
    body: str  # converted and sanitised, pictures still at their source's addresses
    status: str
    publish_at: datetime | None
    updated_at: datetime | None
    section: Term | None = None
    tags: list[Term] = field(default_factory=list)
    authors: list[AuthorItem] = field(default_factory=list)
    lead: Picture | None = None
    comments: list[CommentItem] = field(default_factory=list)
    old_addresses: list[tuple[str, str]] = field(default_factory=list)  # (path, query)
    notes: list[str] = field(default_factory=list)


@dataclass
class PageItem:
    key: str
    label: str
    title: str
    slug: str
    body: str
    summary: str = ""
    old_addresses: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # edited here since their import
    notes: list[tuple[str, str]] = field(default_factory=list)
    media_missing: list[tuple[str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        def counts(counter: Counter) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())) or "none"

        lines = [
            _("Created: %s") % counts(self.created),
            _("Updated: %s") % counts(self.updated),
            _("Unchanged: %s") % counts(self.unchanged),
            _("Skipped: %d") % len(self.skipped),
        ]
        lines += [f"  {label}: {reason}" for label, reason in self.skipped]
        lines.append(_("Left alone, edited here since their import: %d") % len(self.left))
        lines += [f"  {label}" for label in self.left]
        lines.append(_("Notes: %d") % len(self.notes))
        lines += [f"  {label}: {note}" for label, note in self.notes]
        lines.append(_("Media missing: %d") % len(self.media_missing))
        lines += [f"  {label}: {url} ({why})" for label, url, why in self.media_missing]
        return lines


def _json_default(value):
    """An item's dataclasses as their fields, anything else (dates) as text: the JSON of
    `asdict`, without its deep copy of every item."""
    return vars(value) if is_dataclass(value) else str(value)


def _digest(value) -> str:
    text = json.dumps(value, default=_json_default, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


STORY_FIELDS = ("headline", "slug", "dek", "body", "status", "section_id", "lead_image_id")
PAGE_FIELDS = ("title", "slug", "summary", "body")


def _local_hash(row: Article | NewsroomPage) -> str:
    """What an edit here would change."""
    fields = STORY_FIELDS if isinstance(row, Article) else PAGE_FIELDS
    return _digest([getattr(row, name) for name in fields])


def _body_final(body: str, found: dict[str, str]) -> str:
    """The body as saved: pictures at their library addresses, and as every save leaves it."""
    return body_pictures_complete(sanitize_body(body_pictures_replace(body, found)))


@dataclass
class _Pending:
    """A story read and its pictures had, waiting for its batch to be written."""

    item: StoryItem
    existing: Article | None
    digest: str
    found: dict[str, str]
    lead: Image | None
    authors: list[Author]
    section: Section
    tags: list[Tag]


class Importer:
    """One run: it keeps the sections, tags and authors it has seen, and the pictures.

    `on_progress(done, total)` hears of every item the reader takes in hand (`advance`)
    and of its reading before that (`beat`); `total` is None until the reader knows it.
    """

    def __init__(
        self,
        *,
        media: MediaSource,
        dry_run: bool = False,
        now: datetime | None = None,
        on_progress: Callable[[int, int | None], None] | None = None,
    ):
        self.media = media
        self.dry_run = dry_run
        self.now = now or timezone.now()
        self.report = Report()
        self.on_progress = on_progress
        self.done = 0
        self.total: int | None = None
        self._sections: dict[str, Section] = {}
        self._tags: dict[str, Tag] = {}
        self._authors: dict[str, Author | None] = {}
        self._pictures: dict[str, Image | None] = {}
        self._written = False
        self._read: list[StoryItem] = []
        self._scopes: set[str] = set()
        self._scopes_moved = time.monotonic()

    def finish(self) -> Report:
        self._flush()
        if self._written:  # new sections and newsroom pages: the menu and the footer
            self._scopes.add(CHROME)
        self._scopes_move()
        return self.report

    def skip(self, label: str, reason: str) -> None:
        self.report.skipped.append((label, reason))

    def expect(self, total: int) -> None:
        self.total = total
        self.beat()

    def advance(self) -> None:
        self.done += 1
        self.beat()

    def beat(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.done, self.total)

    # Stories

    def story(self, item: StoryItem) -> None:
        self._read.append(item)
        if len(self._read) >= BATCH_SIZE:
            self._flush()

    def _prepared(self, item: StoryItem, existing: Article | None) -> "_Pending | None":
        """The story to write, its pictures had; None when there is nothing to write."""
        digest = _digest(item)
        if existing and existing.import_hash == digest:
            self.report.unchanged["stories"] += 1
            return None
        if existing and _local_hash(existing) != existing.import_local_hash:
            self.report.left.append(item.label)
            return None
        self.report.notes += [(item.label, note) for note in item.notes]
        (self.report.updated if existing else self.report.created)["stories"] += 1
        authors = [self.author(author) for author in item.authors]
        if self.dry_run:
            return None
        # Pictures first, outside the stories' transaction: fetching one may take seconds.
        lead = self._picture(item.label, item.lead, item.headline) if item.lead else None
        found = self._body_pictures(item.label, item.body, item.headline)
        section = self._section(item.section or Term(*DEFAULT_SECTION))
        tags = [self._tag(term) for term in item.tags]
        return _Pending(item, existing, digest, found, lead, authors, section, tags)

    def _flush(self) -> None:
        """Write the stories read since the last flush in one short transaction, each kind of
        row in one statement (their earlier imports found in one too): statements per story
        would cost more than all the rest."""
        read, self._read = self._read, []  # a batch that failed is not tried again
        if not read:
            return
        existing = Article.objects.in_bulk([item.key for item in read], field_name="import_key")
        pending = [
            story
            for item in read
            if (story := self._prepared(item, existing.get(item.key))) is not None
        ]
        if not pending:
            return
        with transaction.atomic():
            pending = self._unchanged_meanwhile(pending)
            if not pending:
                return
            # The lists the updated stories are in before the write, as article_save does:
            # an imported change of section, tags or status takes them off those too.
            shown_in = stories_scopes([s.existing.pk for s in pending if s.existing], front=True)
            articles = [self._article_fill(story) for story in pending]
            new = [article for article in articles if article.pk is None]
            updated = [article for article in articles if article.pk is not None]
            self._slugs_free(new)
            for article in articles:
                article.import_local_hash = _local_hash(article)
                # The slug is free, the key matched, the section and picture were just read:
                # their checks would only repeat that.
                blank = [] if article.body else ["body"]
                article.full_clean(
                    exclude=["authors", "tags", "section", "lead_image", *blank],
                    validate_unique=False,
                    validate_constraints=False,
                )
            Article.objects.bulk_create(new)
            for article in updated:
                article.save_without_historical_record()
            # One version each in the history, as imported.
            reason = _("Imported")
            Article.history.bulk_history_create(new, default_change_reason=reason)
            Article.history.bulk_history_create(updated, update=True, default_change_reason=reason)
            self._relations_write(pending, articles, updated)
            written = [article.pk for article in articles]
            # What the article service and its receivers would keep: the search documents, and
            # the stored pages and lists that show these stories. A new story's own scope
            # has nothing stored under it yet.
            body_images_sync(articles)
            article_search_document_refresh(written)
            self._scopes |= shown_in | stories_scopes(written, front=True) - {
                story_scope(article.pk) for article in new
            }
            WorkflowEvent.objects.bulk_create(
                WorkflowEvent(article=article, action=WorkflowEvent.Action.CREATED, note=reason)
                for article in new
            )
        self._written = True
        # New stories may join the lists a moment late; a story changed or taken down is
        # changed on every page at once, whatever the import does next.
        if updated or time.monotonic() - self._scopes_moved >= SCOPES_SECONDS:
            self._scopes_move()

    def _unchanged_meanwhile(self, pending: list["_Pending"]) -> list["_Pending"]:
        """Locks the stories this batch updates (in id order, as every locker here does) and
        writes over the rows as they are now. One changed in the newsroom since it was read
        (while the batch's pictures were fetched: an edit, an unpublish) is left as it now
        is, like a story edited here before the import; its row stays locked until the batch
        commits, so no save comes between this check and the write."""
        ids = [story.existing.pk for story in pending if story.existing]
        rows = Article.objects.select_for_update().order_by("pk").in_bulk(ids)
        kept = []
        for story in pending:
            row = rows.get(story.existing.pk) if story.existing else None
            if story.existing and (
                row is None
                or row.version != story.existing.version
                or _local_hash(row) != row.import_local_hash
            ):
                self._left(story.item)
                continue
            if row is not None:
                story.existing = row
            kept.append(story)
        return kept

    def _left(self, item: StoryItem) -> None:
        """A story counted as updated turns out to be left alone: the report says so."""
        self.report.updated["stories"] -= 1
        self.report.updated += Counter()  # drops a count that fell to none
        self.report.notes = [note for note in self.report.notes if note[0] != item.label]
        self.report.left.append(item.label)

    def _scopes_move(self) -> None:
        """Move the scopes of what was written since the last move, all at once: a batch's
        stories share their lists, and each move of a scope costs a write to the cache."""
        scopes_changed(self._scopes)
        self._scopes = set()
        self._scopes_moved = time.monotonic()

    def _article_fill(self, story: "_Pending") -> Article:
        item = story.item
        article = story.existing or Article(import_key=item.key, created_at=self.now)
        article.headline = item.headline
        if story.existing is None:
            article.slug = item.slug
        else:
            article.version += 1  # a form opened on the story before is refused on save
        lede = Truncator(first_paragraph_text(item.body)).chars(300)
        article.dek = item.excerpt or lede or item.headline
        article.body = _body_final(item.body, story.found)
        article.section = story.section
        article.lead_image = story.lead
        updated_at = item.updated_at or item.publish_at or self.now
        if story.existing and updated_at <= story.existing.updated_at:
            # Changed with no newer date at the source: the date still moves, since what is
            # kept of a saved version (its body's split) follows it.
            updated_at = self.now
        article.updated_at = updated_at
        self._status_set(article, item)
        article.import_hash = story.digest
        return article

    def _relations_write(self, pending, articles, updated) -> None:
        """Tags, bylines, comments and old addresses; an update's replace what it had."""
        if updated:
            ids = [article.pk for article in updated]
            Article.tags.through.objects.filter(article_id__in=ids).delete()
            ArticleAuthor.objects.filter(article_id__in=ids).delete()
            Comment.objects.filter(article_id__in=ids, user=None).exclude(author_name="").delete()
        pairs = list(zip(pending, articles, strict=True))
        Article.tags.through.objects.bulk_create(
            Article.tags.through(article=article, tag=tag)
            for story, article in pairs
            for tag in dict.fromkeys(story.tags)
        )
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=article, author=author, position=position)
            for story, article in pairs
            for position, author in enumerate(dict.fromkeys(story.authors))
        )
        Comment.objects.bulk_create(
            Comment(
                article=article,
                author_name=comment.name[:120],
                body=comment.body[:3000],
                created_at=comment.created_at,
            )
            for story, article in pairs
            for comment in story.item.comments
        )
        self._redirects(
            {
                address: (article, "")
                for story, article in pairs
                for address in story.item.old_addresses
            }
        )

    def _status_set(self, article: Article, item: StoryItem) -> None:
        article.status = item.status
        article.publish_at = item.publish_at
        if item.status == Status.PUBLISHED and item.publish_at and item.publish_at > self.now:
            article.status = Status.SCHEDULED
        live_now = article.status == Status.PUBLISHED
        article.first_published_at = item.publish_at if live_now else None
        # The go-live work (alerts, caches) is done: an old story coming in is no news.
        article.went_live_at = self.now if live_now else None
        article.alert_at_go_live = False
        article.is_breaking = False

    def _slugs_free(self, articles: list[Article]) -> None:
        """Each new story keeps its slug where it is free, else takes the next free one."""
        for article in articles:
            article.slug = (slugify(article.slug) or "story")[:190]
        wanted = [article.slug for article in articles]
        taken = set(Article.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        for article in articles:
            base, n = article.slug, 1
            while article.slug in taken or (
                n > 1 and Article.objects.filter(slug=article.slug).exists()
            ):
                n += 1
                article.slug = f"{base}-{n}"
            taken.add(article.slug)

    # Pages, authors, terms

    def page(self, item: PageItem) -> None:
        """Matched by the source's id, under the rule of stories: unchanged, updated, or left
        when edited here. A page of this site's own with the slug is kept, and the old
        addresses lead to it."""
        self._flush()
        digest = _digest(item)
        page = NewsroomPage.objects.filter(import_key=item.key).first()
        if page is None and (own := NewsroomPage.objects.filter(slug=item.slug).first()):
            self.report.unchanged["pages"] += 1
            if own.title != item.title:
                self.report.notes.append((item.label, _("a page with this slug is here: kept")))
            if not self.dry_run:
                self._redirects(
                    {address: (None, own.get_absolute_url()) for address in item.old_addresses}
                )
            return
        if page and page.import_hash == digest:
            self.report.unchanged["pages"] += 1
            return
        if page and _local_hash(page) != page.import_local_hash:
            self.report.left.append(item.label)
            return
        self.report.notes += [(item.label, note) for note in item.notes]
        (self.report.updated if page else self.report.created)["pages"] += 1
        if self.dry_run:
            return
        found = self._body_pictures(item.label, item.body, item.title)
        with transaction.atomic():
            if page is not None:
                # Edited here while its pictures were fetched: left as saved, as a story is.
                page = NewsroomPage.objects.select_for_update().filter(pk=page.pk).first()
                if page is None or _local_hash(page) != page.import_local_hash:
                    self.report.updated["pages"] -= 1
                    self.report.left.append(item.label)
                    return
            page = page or NewsroomPage(import_key=item.key, slug=item.slug, in_footer=False)
            page.title = item.title[:120]
            page.summary = item.summary[:300]
            page.body = _body_final(item.body, found)
            page.updated_at = self.now
            page.import_hash = digest
            page.import_local_hash = _local_hash(page)
            page.full_clean(exclude=[] if page.body else ["body"], validate_unique=False)
            page.save()
            target = page.get_absolute_url()
            self._redirects({address: (None, target) for address in item.old_addresses})
        self._written = True

    def author(self, item: AuthorItem) -> Author | None:
        """Matched by slug; one already here is kept as it is."""
        slug = slugify(item.slug)[:120] or slugify(item.name)[:120]
        if slug in self._authors:
            return self._authors[slug]
        author = Author.objects.filter(slug=slug).first()
        if author:
            self.report.unchanged["authors"] += 1
        else:
            self.report.created["authors"] += 1
            if self.dry_run:
                self._authors[slug] = None
                return None
            photo = self._picture(item.name, item.picture, item.name) if item.picture else None
            with transaction.atomic():
                author = Author(name=item.name[:120], slug=slug, bio=item.bio, photo=photo)
                author.full_clean()
                author.save()
            self._written = True
        if not self.dry_run:
            for path in item.old_paths:
                if path != author.get_absolute_url():
                    self._redirect(path, "", target=author.get_absolute_url())
        self._authors[slug] = author
        return author

    def _section(self, term: Term) -> Section:
        slug = slugify(term.slug)[:80] or DEFAULT_SECTION[1]
        if slug not in self._sections:
            section = (
                Section.objects.filter(slug=slug).first()
                or Section.objects.filter(name=term.name[:80]).first()
                or Section.objects.create(name=term.name[:80], slug=slug)
            )
            self._sections[slug] = section
        return self._sections[slug]

    def _tag(self, term: Term) -> Tag:
        slug = slugify(term.slug)[:80] or slugify(term.name)[:80]
        if slug not in self._tags:
            self._tags[slug] = (
                Tag.objects.filter(slug=slug).first()
                or Tag.objects.filter(name=term.name[:80]).first()
                or Tag.objects.create(name=term.name[:80], slug=slug)
            )
        return self._tags[slug]

    def redirect(self, path: str, query: str = "", *, target: str) -> None:
        """An old address of something that is not a story (a category, a feed)."""
        self._flush()
        if not self.dry_run and path != target:
            self._redirect(path, query, target=target)

    def _redirect(self, path: str, query: str, *, target: str) -> None:
        self._redirects({(path, query): (None, target)})

    def _redirects(self, addresses: dict[tuple[str, str], tuple[Article | None, str]]) -> None:
        """(path, query) -> (story, target), in one statement; an address already here now
        leads to this. A dict, since one statement may not change a row twice."""
        Redirect.objects.bulk_create(
            [
                Redirect(old_path=path[:500], query=query[:200], article=article, target=target)
                for (path, query), (article, target) in addresses.items()
            ],
            update_conflicts=True,
            unique_fields=["old_path", "query"],
            update_fields=["article", "target"],
        )

    # Pictures

    def _body_pictures(self, label: str, body: str, alt: str) -> dict[str, str]:
        found = {}
        for src, picture_alt in body_picture_sources(body).items():
            image = self._picture(label, Picture(url=src, alt=picture_alt), alt)
            if image is not None:
                found[src] = image.file.url
        return found

    def _picture(self, label: str, picture: Picture, alt: str) -> Image | None:
        """The library's copy of a picture, made on first sight; None (reported) when it
        cannot be had."""
        if picture.url in self._pictures:
            return self._pictures[picture.url]
        image = Image.objects.filter(import_source=picture.url[:500]).first()
        if image is None:
            self.beat()  # a fetch may take its whole deadline: the job is not stuck
            try:
                prepared = self.media.fetch(picture.url)
            except MediaMissing as missing:
                self.report.media_missing.append((label, picture.url, str(missing)))
                self._pictures[picture.url] = None
                return None
            image = Image.objects.create(
                file=prepared,
                alt_text=(picture.alt or alt)[:300],
                caption=picture.caption[:500],
                credit=picture.credit[:200],
                import_source=picture.url[:500],
            )
            renditions.image_renditions_refresh(image=image)
        self._pictures[picture.url] = image
        return image


def headline_from(title: str, body: str) -> tuple[str, list[str]]:
    """A plain-text headline, and a note when the source had none."""
    headline = plain_text(title)[:200]
    if headline:
        return headline, []
    return Truncator(plain_text(body)).words(10)[:200], [_("no title: made from its first words")]
