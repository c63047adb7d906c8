"""Demo content for a local run: sections, authors, original stories with pictures, accounts.

Safe to run again: what exists (matched by slug or email) is left as it is. `--articles N`
adds N generated stories, and `--sections N` that many extra sections, for load tests.
"""

import io
import json
import random
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from articles import live_services, services
from articles.images import image_prepare_upload
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Image,
    LiveCoverage,
    LiveUpdate,
    Section,
    Status,
    Tag,
)
from articles.renditions import image_renditions_create
from articles.sanitize import sanitize_body
from articles.search_index import article_search_document_refresh
from newsroom.roles import EDITORS, WRITERS

STORIES_FILE = Path(__file__).resolve().parents[2] / "demo" / "stories.json"
LIVE_FILE = STORIES_FILE.with_name("live.json")

# Local-only demo passwords, listed in the README; never used outside a local run.
DEMO_ACCOUNTS = [
    ("editor@newsroom.local", "Edna Editor", "demo-editor-pass", EDITORS),
    ("writer@newsroom.local", "Walt Writer", "demo-writer-pass", WRITERS),
    ("reader@newsroom.local", "Rita Reader", "demo-reader-pass", None),
]

IMAGE_SIZE = (1600, 900)


def _paragraphs_html(story: dict) -> str:
    parts = []
    for index, paragraph in enumerate(story["paragraphs"]):
        if story.get("subheading") and story.get("subheading_before") == index:
            parts.append(f"<h2>{escape(story['subheading'])}</h2>")
        parts.append(f"<p>{escape(paragraph)}</p>")
    return "".join(parts)


def _picture(label: str, colors: list[str]) -> ContentFile:
    """A gradient illustration with the section's name, cleaned like any upload."""
    height = IMAGE_SIZE[1]
    top, bottom = (PILImage.new("RGB", (1, 1), color).getpixel((0, 0)) for color in colors)
    gradient = PILImage.new("RGB", (1, height))
    for y in range(height):
        mix = y / (height - 1)
        gradient.putpixel(
            (0, y), tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        )
    picture = gradient.resize(IMAGE_SIZE)
    draw = ImageDraw.Draw(picture)
    # Centred, so that the label survives the crops of thumbnails and the lead slot.
    draw.text(
        (IMAGE_SIZE[0] // 2, height // 2),
        label,
        fill="white",
        anchor="mm",
        font=ImageFont.load_default(size=height // 8),
    )
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return image_prepare_upload(ContentFile(out.getvalue(), name="demo.jpg"))


class Command(BaseCommand):
    help = "Create demo sections, authors, stories with pictures and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=0, help="Generate N more stories.")
        parser.add_argument("--sections", type=int, default=0, help="Generate N more sections.")
        parser.add_argument(
            "--no-accounts", action="store_true", help="Do not create the demo accounts."
        )

    def handle(self, *args, articles, sections, no_accounts, **options):
        demo = json.loads(STORIES_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            editor, writer = self._accounts(skip=no_accounts)
            self._taxonomy(demo)
            created = self._stories(demo, editor=editor, writer=writer)
            self._live(editor=editor)
        self.stdout.write(f"Demo stories created: {created}.")
        if sections:
            self._generated_sections(sections)
        if articles:
            self._generated_stories(demo, count=articles)
            self.stdout.write(f"Generated stories added: {articles}.")
        self._renditions()

    def _accounts(self, *, skip: bool):
        user_model = get_user_model()
        users = {}
        for email, name, password, group in DEMO_ACCOUNTS:
            user = user_model.objects.filter(email=email).first()
            if user is None and not skip:
                if settings.SECURE:
                    raise CommandError(
                        "Demo accounts have well-known passwords; they are only created on a "
                        "local run (SECURE=false). Use --no-accounts elsewhere."
                    )
                first, last = name.split(" ", 1)
                user = user_model.objects.create_user(
                    username=email.split("@")[0],
                    email=email,
                    password=password,
                    first_name=first,
                    last_name=last,
                    is_staff=group is not None,
                )
                if group:
                    user.groups.add(Group.objects.get(name=group))
                self._verify_email(user)
                self.stdout.write(f"Demo account {email} / {password}")
            users[email] = user
        editor = (
            users.get("editor@newsroom.local")
            or user_model.objects.filter(groups__name=EDITORS).first()
        )
        return editor, users.get("writer@newsroom.local")

    @staticmethod
    def _verify_email(user):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )

    def _taxonomy(self, demo):
        for position, section in enumerate(demo["sections"]):
            Section.objects.get_or_create(
                slug=section["slug"],
                defaults={
                    "name": section["name"],
                    "description": section["description"],
                    "position": position * 10,
                },
            )
        for author in demo["authors"]:
            Author.objects.get_or_create(
                slug=author["slug"], defaults={"name": author["name"], "bio": author["bio"]}
            )
        for tag in demo["tags"]:
            Tag.objects.get_or_create(slug=tag["slug"], defaults={"name": tag["name"]})

    def _stories(self, demo, *, editor, writer) -> int:
        now = timezone.now()
        created = 0
        for story in demo["stories"]:
            published_at = now - timedelta(hours=story["hours_ago"])
            article = self._story(story, by=editor, now=published_at)
            if article is None:
                continue
            created += 1
            services.article_publish(article=article, by=editor, now=published_at)
        draft = self._story(demo["draft"], by=writer or editor)
        scheduled = self._story(demo["scheduled"], by=editor)
        if scheduled is not None:
            services.article_schedule(
                article=scheduled,
                by=editor,
                publish_at=now + timedelta(hours=demo["scheduled"]["hours_ahead"]),
            )
        return created + (draft is not None) + (scheduled is not None)

    def _live(self, *, editor):
        """The running story: the first demo story told in a dozen updates since it went out,
        on top of its hub (a topic that gathers the strike's stories)."""
        live = json.loads(LIVE_FILE.read_text(encoding="utf-8"))
        article = Article.objects.filter(slug=live["story"]).first()
        if (
            article is None
            or editor is None
            or LiveCoverage.objects.filter(pk=article.pk).exists()
        ):
            return
        hub, _ = Tag.objects.get_or_create(
            slug=live["hub"]["slug"], defaults={"name": live["hub"]["name"]}
        )
        for story in Article.objects.filter(slug__in=live["hub_stories"]):
            story.tags.add(hub)
        coverage = live_services.live_start(article=article, by=editor, now=article.publish_at)
        now = timezone.now()
        for item in live["updates"]:
            picture = None
            if item.get("picture"):
                art = live["picture"]
                picture = (
                    _picture("Pickets", art["colors"]),
                    art["alt"],
                    art["caption"],
                    art["credit"],
                )
            update = LiveUpdate(
                headline=item["headline"],
                body="".join(f"<p>{escape(p)}</p>" for p in item["paragraphs"]),
                author=Author.objects.get(slug=item["author"]),
                is_key_point=item.get("key_point", False),
                is_pinned=item.get("pinned", False),
                is_correction=item.get("correction", False),
            )
            live_services.live_update_post(
                coverage=coverage,
                by=editor,
                update=update,
                picture=picture,
                now=now - timedelta(minutes=item["minutes_ago"]),
            )

    def _story(self, story: dict, *, by, now=None) -> Article | None:
        if Article.objects.filter(slug=story["slug"]).exists():
            return None
        section = Section.objects.get(slug=story["section"])
        image = Image.objects.create(
            file=_picture(section.name, story["image"]["colors"]),
            alt_text=story["image"]["alt"],
            caption=story["image"]["caption"],
            credit=story["image"]["credit"],
            uploaded_by=by,
        )
        article = services.article_save(
            article=Article(
                headline=story["headline"],
                slug=story["slug"],
                kicker=story["kicker"],
                section=section,
                dek=story["dek"],
                dateline=story["dateline"],
                body=_paragraphs_html(story),
                lead_image=image,
                is_free=story["is_free"],
                is_breaking=story["is_breaking"],
            ),
            by=by,
            now=now,
        )
        for position, slug in enumerate(story["authors"]):
            ArticleAuthor.objects.create(
                article=article, author=Author.objects.get(slug=slug), position=position
            )
        article.tags.set(Tag.objects.filter(slug__in=story["tags"]))
        return article

    def _generated_sections(self, count: int):
        start = Section.objects.count()
        Section.objects.bulk_create(
            [
                Section(name=f"Desk {n}", slug=f"desk-{n}", position=1000 + n)
                for n in range(start, start + count)
            ],
            ignore_conflicts=True,
        )

    def _generated_stories(self, demo, *, count: int):
        """Many stories fast, for load tests: bulk inserts that reuse the demo pictures."""
        rng = random.Random(count)
        sections = list(Section.objects.all())
        authors = list(Author.objects.all())
        images = list(Image.objects.filter(lead_of__isnull=False).distinct()[:12])
        paragraphs = [p for story in demo["stories"] for p in story["paragraphs"]]
        first = Article.objects.filter(slug__startswith="generated-").count()
        now = timezone.now()
        for chunk_start in range(first, first + count, 500):
            chunk = range(chunk_start, min(chunk_start + 500, first + count))
            new = Article.objects.bulk_create(
                [
                    Article(
                        headline=f"Generated story {n}: {rng.choice(paragraphs)[:60].strip()}",
                        slug=f"generated-{n}",
                        section=rng.choice(sections),
                        dek=rng.choice(paragraphs)[:180],
                        body=sanitize_body(
                            "".join(f"<p>{escape(p)}</p>" for p in rng.sample(paragraphs, 7))
                        ),
                        lead_image=rng.choice(images) if images else None,
                        status=Status.PUBLISHED,
                        publish_at=now - timedelta(minutes=30 + n),
                        first_published_at=now - timedelta(minutes=30 + n),
                        went_live_at=now,
                        updated_at=now - timedelta(minutes=30 + n),
                        is_free=n % 10 == 0,
                    )
                    for n in chunk
                ]
            )
            if authors:
                ArticleAuthor.objects.bulk_create(
                    [ArticleAuthor(article=a, author=rng.choice(authors)) for a in new]
                )
            article_search_document_refresh([article.pk for article in new])

    def _renditions(self):
        """Every picture's renditions exist before the site serves."""
        for image in Image.objects.all():
            image_renditions_create(image=image)
