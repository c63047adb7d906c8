"""A large archive, fast, for `make bench-archive`: stories spread over years, with pictures.

Bypasses the per-story services (bulk inserts, no signals) but leaves what they derive:
sanitised bodies, published state with its times, bylines, tags, search documents (through
article_search_document_refresh, batch by batch), and each picture row's renditions (rows
sharing the files of a few pictures whose renditions were made by the rendition service,
copied in one INSERT ... SELECT). Not made: workflow events and revision history, which
record edits that never happened. Run on an empty database after `migrate`; story slugs
start with "archive-".

On PostgreSQL, computing the documents (to_tsvector over every body) is most of the work:
it runs in DOCUMENT_WORKERS threads, each with its own connection, while the next batches are
inserted; the stories' indexes are set aside for the load and built once at the end; and the
session neither waits for its commits to reach the disk nor, as a superuser, runs
foreign-key triggers (see _load_session).
"""

import io
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage

from articles.images import image_prepare_upload
from articles.management.commands.seed_demo import STORIES_FILE
from articles.models import Article, ArticleAuthor, Author, Image, Rendition, Section, Status, Tag
from articles.renditions import image_renditions_create
from articles.sanitize import sanitize_body
from articles.search_index import article_search_document_refresh

BATCH = 2000
DOCUMENT_WORKERS = 2
SOURCE_PICTURES = 4
# One story in this many carries it: the benchmark's rare word.
RARE_WORD = "quetzalcoatlus"
RARE_EVERY = 2000
BUSY_SHARE = 0.25


class Command(BaseCommand):
    help = "Bulk-load a benchmark archive (stories, sections, authors, tags, pictures)."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=200_000)
        parser.add_argument("--years", type=int, default=15)
        parser.add_argument("--sections", type=int, default=50)
        parser.add_argument("--authors", type=int, default=500)
        parser.add_argument("--tags", type=int, default=5000)
        parser.add_argument("--pictures", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        with _load_session():
            self._load(**options)

    def _load(self, *, stories, years, sections, authors, tags, pictures, seed, **options):
        rng = random.Random(seed)
        started = time.monotonic()
        paragraphs = [
            p
            for story in json.loads(STORIES_FILE.read_text())["stories"]
            for p in story["paragraphs"]
        ]
        section_rows = Section.objects.bulk_create(
            [
                Section(name=f"Section {n}", slug=f"section-{n}", position=n)
                for n in range(sections)
            ]
        )
        author_rows = Author.objects.bulk_create(
            [
                Author(name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}", slug=f"author-{n}")
                for n in range(authors)
            ]
        )
        tag_rows = Tag.objects.bulk_create(
            [Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(tags)]
        )
        image_ids = self._pictures(pictures)
        self.stdout.write(
            f"Taxonomy and {len(image_ids)} pictures in {time.monotonic() - started:.0f} s."
        )
        now = timezone.now()
        span = timedelta(days=365 * years).total_seconds()
        with self._documents() as refresh:
            for start in range(0, stories, BATCH):
                numbers = range(start, min(start + BATCH, stories))
                with transaction.atomic():
                    new = Article.objects.bulk_create(
                        [
                            self._story(n, rng, paragraphs, section_rows, image_ids, now, span)
                            for n in numbers
                        ]
                    )
                    ArticleAuthor.objects.bulk_create(
                        [
                            ArticleAuthor(article=article, author=author, position=position)
                            for article in new
                            for position, author in enumerate(
                                rng.sample(author_rows, rng.choice((1, 1, 2)))
                            )
                        ]
                    )
                    Article.tags.through.objects.bulk_create(
                        [
                            Article.tags.through(article=article, tag=tag)
                            for article in new
                            for tag in rng.sample(tag_rows, rng.randint(1, 4))
                        ]
                    )
                if not start:
                    _analyze(ArticleAuthor, Article.tags.through, Author, Tag)
                refresh([article.pk for article in new])
                self.stdout.write(f"{numbers.stop} stories, {time.monotonic() - started:.0f} s.")
        self.stdout.write(f"Search documents in {time.monotonic() - started:.0f} s.")
        # What autovacuum would do in time: the documents' update left a dead row per story,
        # and the planner needs the tables' statistics. (VACUUM cannot run in a transaction.)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s.")

    @contextmanager
    def _documents(self):
        """A function that refreshes the documents of committed stories: on PostgreSQL in
        worker threads, with the stories' indexes set aside (all but those of constraints)
        and built once everything is written; on SQLite, whose writers take turns, or inside
        a transaction, whose rows no other connection sees, at once."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            yield article_search_document_refresh
            return
        # The links keep theirs: each document reads a story's bylines and tags by them.
        # A load that fails leaves the stories without: start again on an empty database.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT index.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class index ON index.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [Article._meta.db_table],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        with ThreadPoolExecutor(DOCUMENT_WORKERS) as workers:
            pending = []
            yield lambda ids: pending.append(workers.submit(_refresh_in_thread, ids))
            for job in pending:
                job.result()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem TO '512MB'")
            for _, definition in indexes:
                cursor.execute(definition)

    def _story(self, n, rng, paragraphs, sections, image_ids, now, span) -> Article:
        body = [escape(p) for p in rng.sample(paragraphs, rng.randint(6, 16))]
        if n % RARE_EVERY == 0:
            body[-1] += f" A {RARE_WORD} fossil was found."
        moment = now - timedelta(seconds=rng.random() * span)
        first = rng.choice(paragraphs)
        return Article(
            headline=f"{first[:90].rsplit(' ', 1)[0]} ({n})",
            slug=f"archive-{n}",
            # A busy first desk, deep enough for a list's 500th page.
            section=sections[0] if rng.random() < BUSY_SHARE else rng.choice(sections),
            dek=rng.choice(paragraphs)[:280].rsplit(" ", 1)[0],
            body=sanitize_body("".join(f"<p>{p}</p>" for p in body)),
            lead_image_id=rng.choice(image_ids) if image_ids and n % 2 == 0 else None,
            status=Status.PUBLISHED,
            publish_at=moment,
            first_published_at=moment,
            went_live_at=moment,
            updated_at=moment,
            created_at=moment,
            is_free=n % 10 == 0,
        )

    def _pictures(self, count: int) -> list[int]:
        """A few pictures made as an upload would be, then `count` rows sharing their files
        and their renditions' files."""
        sources = []
        for n in range(min(count, SOURCE_PICTURES)):
            out = io.BytesIO()
            PILImage.new("RGB", (1600, 900), (40 * n, 90, 160)).save(out, "JPEG", quality=80)
            image = Image.objects.create(
                file=image_prepare_upload(ContentFile(out.getvalue(), name="archive.jpg")),
                alt_text=f"Archive picture {n}",
            )
            image_renditions_create(image=image)
            sources.append(image)
        if not sources:
            return []
        Image.objects.bulk_create(
            [
                Image(
                    file=source.file.name,
                    alt_text=f"Archive picture {n}",
                    width=source.width,
                    height=source.height,
                )
                for n in range(len(sources), count)
                for source in [sources[n % len(sources)]]
            ],
            batch_size=BATCH,
        )
        # Each row's renditions are its source's, found by the file they share.
        image, rendition = Image._meta.db_table, Rendition._meta.db_table
        marks = ", ".join(["%s"] * len(sources))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {rendition} (image_id, format, width, height, file) "  # noqa: S608
                f"SELECT picture.id, r.format, r.width, r.height, r.file FROM {image} picture "
                f"JOIN {image} source ON source.file = picture.file AND source.id IN ({marks}) "
                f"JOIN {rendition} r ON r.image_id = source.id WHERE picture.id != source.id",
                [source.pk for source in sources],
            )
        return list(Image.objects.order_by("pk").values_list("pk", flat=True))


@contextmanager
def _load_session():
    """On PostgreSQL, this connection's commits return before they reach the disk, and,
    where the role may, its rows skip the foreign-key triggers: they reference only rows the
    loader made. Both are undone at the end."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        cursor.execute("SET synchronous_commit TO off")
        if superuser:
            cursor.execute("SET session_replication_role TO replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
            if superuser:
                cursor.execute("RESET session_replication_role")


def _analyze(*models) -> None:
    """Statistics for these tables, so that the documents' queries read a story's bylines
    and tags by its id: planned on a new table's guesses, each would scan every tag."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _refresh_in_thread(ids: list[int]) -> None:
    """In a worker thread, which has its own connection, closed when done."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
        article_search_document_refresh(ids)
    finally:
        connections.close_all()


FIRST = ["Ada", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lou"]
LAST = ["Marsh", "Okafor", "Reyes", "Quayle", "Tamsin", "Fenwick", "Levi", "Nakamura"]
