"""Live coverage: a story told in short, timestamped updates while it happens.

A story is live while its coverage runs; an editor ends it, and the page then reads as a
finished story with its timeline. Each update has a public headline (like a story's) and a
body gated like a story's body. `LiveCoverage.sequence` counts the changes readers may see
(an update shown, edited, taken off the page, the coverage ended), and each update keeps
the sequence of its last such change, so that "what is new since N" is one indexed query.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from articles.models.content import Article, Author, Image
from articles.sanitize import sanitize_body

UPDATE_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "History": True,
}


class LiveCoverage(models.Model):
    class WriterUpdates(models.TextChoices):
        HELD = "held", _("Held for an editor")
        IMMEDIATE = "immediate", _("Published at once")

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="live_coverage"
    )
    is_running = models.BooleanField(_("live"), default=True)
    started_at = models.DateTimeField(_("coverage started"), default=timezone.now)
    ended_at = models.DateTimeField(_("coverage ended"), null=True, blank=True)
    writer_updates = models.CharField(
        _("writers' updates"),
        max_length=10,
        choices=WriterUpdates.choices,
        default=WriterUpdates.HELD,
        help_text=_("Editors' updates are always published at once."),
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["sequence"])

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverage")

    def __str__(self):
        return str(self.article)


class LiveUpdateQuerySet(models.QuerySet):
    def shown(self):
        """What readers see of a live story (the story itself being live)."""
        return self.filter(state=LiveUpdate.State.PUBLISHED)


class LiveUpdate(models.Model):
    class State(models.TextChoices):
        HELD = "held", _("Held for an editor")
        PUBLISHED = "published", _("Published")
        REMOVED = "removed", _("Deleted")

    coverage = models.ForeignKey(LiveCoverage, on_delete=models.CASCADE, related_name="updates")
    headline = models.CharField(_("headline"), max_length=200)
    body = ProseEditorField(
        _("body"), config={"extensions": UPDATE_EDITOR_EXTENSIONS}, sanitize=sanitize_body
    )
    image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_key_point = models.BooleanField(
        _("key point"), default=False, help_text=_("Listed in the summary at the top.")
    )
    is_pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Stays first."))
    is_correction = models.BooleanField(_("correction"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.HELD, editable=False
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_updates"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="live_updates",
    )
    published_at = models.DateTimeField(_("published"), null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # The coverage's sequence at this update's last change that readers may see.
    changed_in = models.PositiveIntegerField(default=0, editable=False)

    objects = LiveUpdateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["changed_in"])

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["coverage", "changed_in"], name="live_update_changed"),
            models.Index(
                "coverage",
                models.F("published_at").desc(),
                models.F("id").desc(),
                name="live_update_shown",
                condition=models.Q(state="published"),
            ),
        ]

    def __str__(self):
        return self.headline

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"
