from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.content import Article


class Redirect(models.Model):
    """An old address (a path, and optionally its query) answered with a redirect.

    Consulted only when nothing else answered the path (see articles/redirects.py). One that
    points at a story follows it to its current address, and answers only while it is live.
    """

    class Code(models.IntegerChoices):
        PERMANENT = 301, _("Permanent (301)")
        TEMPORARY = 302, _("Temporary (302)")

    old_path = models.CharField(_("old path"), max_length=500, help_text=_('e.g. "/2019/05/a/"'))
    query = models.CharField(
        _("query"),
        max_length=200,
        blank=True,
        help_text=_('Only when the query is exactly this, e.g. "p=123"; blank for any.'),
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        verbose_name=_("story"),
    )
    target = models.CharField(
        _("target"), max_length=500, blank=True, help_text=_("A path or address, if no story.")
    )
    code = models.PositiveSmallIntegerField(_("type"), choices=Code, default=Code.PERMANENT)

    class Meta:
        ordering = ["old_path", "query"]
        constraints = [
            models.UniqueConstraint(fields=["old_path", "query"], name="unique_redirect"),
            models.CheckConstraint(
                condition=~models.Q(article=None, target=""), name="redirect_has_a_target"
            ),
        ]
        verbose_name = _("redirect")

    def __str__(self):
        old = f"{self.old_path}?{self.query}" if self.query else self.old_path
        return f"{old} → {self.target or self.article}"
