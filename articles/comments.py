"""Readers' comments: who may post, how often, and how the text is made safe.

Comments show on the stored article pages, so every change moves the threads it touches.

Comments are plain text. Addresses in them become links marked rel="nofollow ugc", so the site
vouches for none of them; nothing else of HTML survives.
"""

from datetime import datetime, timedelta

import nh3
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import urlize
from django.utils.translation import gettext as _

from articles.models import Article, Comment, CommentThread
from articles.scopes import reader_threads, threads_changed

RATE_WINDOW = timedelta(minutes=10)
RATE_MAX = 5

_cleaner = nh3.Cleaner(
    tags={"a", "br"},
    attributes={"a": {"href"}},
    url_schemes={"http", "https"},
    link_rel="nofollow ugc",
)


def comment_render(text: str) -> str:
    return _cleaner.clean(urlize(text, autoescape=True).replace("\n", "<br>"))


def comments_closed(article: Article) -> bool:
    return CommentThread.objects.filter(article_id=article.pk, is_closed=True).exists()


def comment_refusal(
    *, user, article: Article, verified: bool | None = None, closed: bool | None = None
) -> str | None:
    """Why this user may not comment on this article now, or None if they may.

    `verified` (the user's email) and `closed` (the thread), when the caller knows them, save
    their queries: the article page passes what it keeps (briefly cached); posting asks the
    database.
    """
    if not user.is_authenticated:
        return _("Register or log in to join the conversation.")
    if verified is None:
        verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    if not verified:
        return _("Confirm your email address to comment.")
    if comments_closed(article) if closed is None else closed:
        return _("Comments are closed on this article.")
    return None


@transaction.atomic
def comment_create(*, article: Article, user, body: str, now: datetime | None = None) -> Comment:
    now = now or timezone.now()
    if not Article.objects.published(now).filter(pk=article.pk).exists():
        raise PermissionDenied(_("This article is not open for comments."))
    refusal = comment_refusal(user=user, article=article)
    if refusal:
        raise PermissionDenied(refusal)
    # One reader's posts take turns (their user row locked until commit; no_key leaves rows
    # that refer to the user free to be written), so parallel posts cannot all count the same
    # few recent comments and pass the limit together.
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=user.pk)
    recent = Comment.objects.filter(user=user, created_at__gt=now - RATE_WINDOW).count()
    if recent >= RATE_MAX:
        raise ValidationError(_("You are commenting very fast. Please wait a few minutes."))
    comment = Comment(article=article, user=user, body=body.strip(), created_at=now)
    comment.full_clean()
    comment.save()
    threads_changed([article.pk])
    return comment


@transaction.atomic
def comments_set_hidden(*, comments, hidden: bool) -> int:
    threads_changed(comments.values_list("article_id", flat=True))
    return comments.update(is_hidden=hidden)


@transaction.atomic
def comments_delete(*, comments) -> None:
    threads_changed(comments.values_list("article_id", flat=True))
    comments.delete()


@transaction.atomic
def comments_close(*, article: Article, closed: bool) -> None:
    CommentThread.objects.update_or_create(article=article, defaults={"is_closed": closed})
    threads_changed([article.pk])  # stored pages hold the thread's state


def reader_comments_export(user) -> list[dict]:
    """A reader's comments, for their data export."""
    return [
        {
            "article": c.article.get_absolute_url(),
            "headline": c.article.headline,
            "posted": c.created_at.isoformat(),
            "text": c.body,
            "hidden_by_editors": c.is_hidden,
        }
        for c in Comment.objects.filter(user=user).select_related("article")
    ]


def reader_comments_anonymise(user) -> None:
    """A deleted account's comments stay in their threads, signed by nobody."""
    threads_changed(reader_threads(user.pk))
    Comment.objects.filter(user=user).update(user=None)
