from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.models.content import BODY_EDITOR_EXTENSIONS, Article
from articles.sanitize import sanitize_body


class NewsroomPage(models.Model):
    """A standing page every newsroom has: about, masthead, contact, policies."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("For search engines.")
    )
    body = ProseEditorField(
        _("body"), config={"extensions": BODY_EDITOR_EXTENSIONS}, sanitize=sanitize_body
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=100, help_text=_("Order in the footer, lowest first.")
    )
    in_footer = models.BooleanField(_("linked from the footer"), default=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    # As on Article: set by an import, to update the page from a newer export unless it was
    # edited here since.
    import_key = models.CharField(  # noqa: DJ001
        max_length=255, null=True, unique=True, editable=False
    )
    import_hash = models.CharField(max_length=64, blank=True, editable=False)
    import_local_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("newsroom page")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:page", args=[self.slug])


class FrontPin(models.Model):
    """An editor's choice for the top of the home front; the rest follows by time."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="front_pin", verbose_name=_("article")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=1, help_text=_("1 is the lead story.")
    )

    class Meta:
        ordering = ["position", "-id"]
        verbose_name = _("front-page pin")

    def __str__(self):
        return f"{self.position}. {self.article}"
