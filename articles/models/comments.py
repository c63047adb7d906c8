from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.models.content import Article


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """What readers see: comments an editor has not hidden."""
        return self.filter(is_hidden=False)


class Comment(models.Model):
    """A registered reader's plain-text comment; it outlives the account, anonymised."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    # A comment brought in by an import has no account, only the name it was signed with.
    author_name = models.CharField(_("name"), max_length=120, blank=True)
    body = models.TextField(_("comment"), max_length=3000)
    created_at = models.DateTimeField(_("posted"), db_index=True)
    is_hidden = models.BooleanField(_("hidden by an editor"), default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"])]

    def __str__(self):
        return self.body[:60]

    @cached_property
    def body_html(self) -> str:
        from articles.comments import comment_render

        return comment_render(self.body)


class CommentThread(models.Model):
    """Per-article comment settings; an article without a row is open for comments."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="comment_thread"
    )
    is_closed = models.BooleanField(_("comments closed"), default=False)

    class Meta:
        verbose_name = _("comment thread")

    def __str__(self):
        return str(self.article)
