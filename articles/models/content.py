from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from articles.embeds import editor_providers
from articles.sanitize import sanitize_body
from newsroom.roles import is_writer_only

BODY_EDITOR_EXTENSIONS = {
    # Ours (static/admin/editor/): upload a picture into the library, embed a video or post,
    # count words; the browser checks spelling, which the editor turns off unless told.
    "BodyPictures": {"uploadUrl": reverse_lazy("admin:articles_image_upload")},
    "BodyEmbeds": {"providers": editor_providers()},
    "WritingAids": True,
    "NoSpellCheck": False,
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "Image": True,
    "Figure": True,
    "Caption": True,
    "History": True,
    # Ours (static/admin/editor/, declared in settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
    "KeepPictures": True,
    "CleanPaste": True,
}


class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=100, help_text=_("Order in the navigation, lowest first.")
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", args=[self.slug])


class Image(models.Model):
    """An uploaded picture, already checked, re-oriented and stripped of metadata."""

    file = models.ImageField(
        _("file"), upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_('Shown as written, e.g. "Photo: Dana Levi / City Archive".'),
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Where an import found the picture, so that importing again reuses it.
    import_source = models.CharField(max_length=500, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.caption or self.alt_text


class Author(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text=_("The staff account of this author, if any."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


LIVE_STATUSES = (Status.SCHEDULED, Status.PUBLISHED)


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: published or scheduled, and the publish time has come.

        Scheduled articles become visible at their moment without any process running.
        """
        now = now or timezone.now()
        return self.filter(status__in=LIVE_STATUSES, publish_at__lte=now)

    def due_for_go_live(self, now=None):
        """Live at query time, but the go-live work (alerts, caches) has not run yet."""
        return self.published(now).filter(went_live_at__isnull=True)

    def by_staff_member(self, user):
        """Stories this staff member started or carries a byline on."""
        return self.filter(Q(created_by=user) | Q(authors__user=user)).distinct()

    def visible_to_staff(self, user):
        """What a staff member may open in the admin, its history or a preview: everything
        for those who publish, only their own work for writers."""
        return self.by_staff_member(user) if is_writer_only(user) else self

    def editable_by_writer(self, user):
        """A writer's own work that has not gone out: drafts and stories in review."""
        return self.by_staff_member(user).filter(status__in=(Status.DRAFT, Status.IN_REVIEW))


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    """Stories without their search document, which only the database reads: it is as
    large as the body, and no page shows it."""

    def get_queryset(self):
        return super().get_queryset().defer("search_document")


class Article(models.Model):
    headline = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Part of the address. Changing it after publication keeps a redirect."),
    )
    kicker = models.CharField(
        _("desk label"), max_length=60, blank=True, help_text=_('Short label, e.g. "update desk".')
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    dek = models.CharField(
        _("dek"), max_length=300, help_text=_("One sentence under the headline.")
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    dateline = models.CharField(_("dateline"), max_length=80, blank=True)
    body = ProseEditorField(
        _("body"), config={"extensions": BODY_EDITOR_EXTENSIONS}, sanitize=sanitize_body
    )
    lead_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="lead_of"
    )
    # The library pictures the body shows, kept by every save (articles.images.body_images_sync)
    # so that a picture's new renditions or credit move the stored pages that show it.
    body_images = models.ManyToManyField(
        Image, blank=True, editable=False, related_name="in_bodies"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When the story goes live. Set a future time and choose Schedule."),
    )
    first_published_at = models.DateTimeField(_("first published"), null=True, editable=False)
    went_live_at = models.DateTimeField(null=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    # Moved on by every save of the content (articles.services.article_save): a save made on
    # an older one is refused, so two people editing at once never overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="articles_created",
    )
    is_free = models.BooleanField(
        _("free to read"), default=False, help_text=_("Never counted by the paywall meter.")
    )
    is_breaking = models.BooleanField(_("breaking news"), default=False)
    alert_at_go_live = models.BooleanField(
        _("send breaking alert at go-live"),
        default=False,
        help_text=_("Email alert subscribers when this story goes live."),
    )
    seo_title = models.CharField(_("SEO title"), max_length=200, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)
    preview_token = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # Derived from the story, its bylines and its tags by articles.search_index, never edited.
    # PostgreSQL only; SQLite keeps the same fields in its FTS5 table articles_article_fts.
    search_document = SearchVectorField(null=True, editable=False)
    # Set by an import (articles/importers/): the source's id for the story, a hash of what
    # the source held, and one of what the import wrote here, to tell a local edit apart.
    # NULL, not blank, when not imported: unique then, and found by its index.
    import_key = models.CharField(  # noqa: DJ001
        max_length=255, null=True, unique=True, editable=False
    )
    import_hash = models.CharField(max_length=64, blank=True, editable=False)
    import_local_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ArticleManager()
    history = HistoricalRecords(
        m2m_fields=[tags],
        excluded_fields=[
            "went_live_at",
            "search_document",
            "import_key",
            "import_hash",
            "import_local_hash",
        ],
    )

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish articles")),
            ("send_alert", _("Can send breaking-news alerts")),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"]),
            # Each reader list's filter and order, over live stories only.
            models.Index(
                "section",
                models.F("publish_at").desc(),
                models.F("id").desc(),
                name="article_section_live",
                condition=Q(status__in=LIVE_STATUSES),
            ),
            models.Index(
                models.F("publish_at").desc(),
                models.F("id").desc(),
                name="article_live",
                condition=Q(status__in=LIVE_STATUSES),
            ),
            # The sitemap index's lastmod: the newest edit among live stories.
            models.Index(
                models.F("updated_at").desc(),
                name="article_live_updated",
                condition=Q(status__in=LIVE_STATUSES),
            ),
            GinIndex(fields=["search_document"], name="article_search_document"),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def is_live(self, now=None):
        now = now or timezone.now()
        return self.status in LIVE_STATUSES and self.publish_at and self.publish_at <= now


class ArticleAuthor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline"),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


class SlugRedirect(models.Model):
    """An old address of a published article, answered with a permanent redirect."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class Correction(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(_("correction"))
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class WorkflowEvent(models.Model):
    """The audit trail: who moved a story through the workflow, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to draft")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        WENT_LIVE = "went_live", _("Went live")
        UNPUBLISHED = "unpublished", _("Unpublished")
        ALERT_SENT = "alert_sent", _("Breaking alert sent")
        PREVIEW_SHARED = "preview_shared", _("Preview link created")
        PREVIEW_REVOKED = "preview_revoked", _("Preview link revoked")
        LIVE_STARTED = "live_started", _("Live coverage started")
        LIVE_CHANGED = "live_changed", _("Live coverage settings changed")
        LIVE_ENDED = "live_ended", _("Live coverage ended")
        UPDATE_POSTED = "update_posted", _("Live update published")
        UPDATE_HELD = "update_held", _("Live update held for an editor")
        UPDATE_APPROVED = "update_approved", _("Live update approved")
        UPDATE_EDITED = "update_edited", _("Live update edited")
        UPDATE_DELETED = "update_deleted", _("Live update deleted")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article}"
