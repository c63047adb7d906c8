"""Writes on articles: saving, the editorial workflow and preview links.

Views, admin actions and tasks call these; every state change leaves a WorkflowEvent.
"""

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.images import body_images_sync, body_pictures_complete
from articles.models import Article, ArticleAutosave, SlugRedirect, Status, WorkflowEvent
from articles.sanitize import sanitize_body
from articles.scopes import stories_scopes
from articles.search_index import article_search_document_refresh
from articles.signals import article_unpublished, article_went_live
from articles.versions import article_version_check
from newsroom.page_cache import scopes_changed
from newsroom.roles import is_writer_only

Action = WorkflowEvent.Action


def _require(user, perm: str) -> None:
    """None is the newsroom itself (seeding, scheduled tasks), as in article_save; a person
    needs the permission."""
    if user is not None and not user.has_perm(perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def _event(article: Article, action: str, by, note: str = "") -> None:
    WorkflowEvent.objects.create(article=article, action=action, actor=by, note=note)


# Moved only by the workflow services below, never by an edit or a restored revision.
WORKFLOW_FIELDS = (
    "status",
    "publish_at",
    "first_published_at",
    "went_live_at",
    "preview_token",
    "created_by_id",
    "created_at",
)


def _keep_workflow_state(article: Article) -> str:
    """An edit changes content only: a restored revision carries its old status and preview
    token, which must not unpublish the story or revive a revoked link. Returns the stored
    slug."""
    stored = Article.objects.values("slug", *WORKFLOW_FIELDS).get(pk=article.pk)
    old_slug = stored.pop("slug")
    for name, value in stored.items():
        setattr(article, name, value)
    return old_slug


def slug_redirect_keep(*, article: Article, old_slug: str) -> None:
    """A published story's old slug keeps answering, with a permanent redirect (the new slug
    answers for itself, so a redirect from it goes)."""
    if not article.first_published_at or old_slug == article.slug:
        return
    SlugRedirect.objects.filter(old_slug=article.slug).delete()
    SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})


# Decided by those who publish; the admin shows them read-only to writers.
EDITOR_FIELDS = ("is_free", "is_breaking", "alert_at_go_live")


def _keep_editor_choices(article: Article, *, by, creating: bool) -> None:
    """A writer changes only their own stories that have not gone out, and never the editors'
    flags, whatever the caller sent: a restored revision carries old flags and content.
    Saves by no one (seeding, tasks) are not limited."""
    if by is None or not is_writer_only(by):
        return
    if creating:
        for name in EDITOR_FIELDS:
            setattr(article, name, Article._meta.get_field(name).get_default())
        return
    for name, value in _writers_story(article.pk, by=by).items():
        setattr(article, name, value)


def _writers_story(article_id: int, *, by) -> dict:
    """The editors' flags of a story this writer may change, or PermissionDenied."""
    editable = Article.objects.editable_by_writer(by).filter(pk=article_id)
    stored = editable.values(*EDITOR_FIELDS).first()
    if stored is None:
        raise PermissionDenied(_("You can change only your own stories before they go out."))
    return stored


# What the form's autosave keeps: the text a person types, not choices or workflow.
AUTOSAVED_FIELDS = ("headline", "slug", "kicker", "dek", "dateline", "body")
AUTOSAVE_MAX_CHARS = 1_000_000


@transaction.atomic
def article_autosave(
    *, article_id: int, by, fields: dict, base_version: int, now: datetime | None = None
) -> ArticleAutosave | None:
    """Keep what `by` is typing in the story's one autosave slot of theirs: no revision, no
    publication, no page or list moved. The same people as article_save's may do it: staff
    who may change stories, and writers only on their own stories before they go out. None
    when a save since holds exactly this text (the request left before that save and came
    after it), which must not fill the slot the save emptied; any other text is kept."""
    _require(by, "articles.change_article")
    if is_writer_only(by):
        _writers_story(article_id, by=by)
    # Locked as a save locks it: an autosave sent as Save was clicked waits for that save.
    stored = Article.objects.select_for_update().filter(pk=article_id).first()
    if stored is None:
        raise PermissionDenied(_("This story no longer exists."))
    if base_version > stored.version:
        raise ValidationError(_("This story has no such version."))
    kept = {name: str(fields.get(name, ""))[:AUTOSAVE_MAX_CHARS] for name in AUTOSAVED_FIELDS}
    # As a save stores it (full_clean sanitises once more), so that it compares with it.
    kept["body"] = Article._meta.get_field("body").clean(_body_clean(kept["body"]), None)
    if base_version < stored.version and all(
        getattr(stored, name) == value for name, value in kept.items()
    ):
        return None  # what a save since holds already: sent before it, arrived after
    autosave, _created = ArticleAutosave.objects.update_or_create(
        article_id=article_id,
        user=by,
        defaults={"fields": kept, "base_version": base_version, "saved_at": now or timezone.now()},
    )
    return autosave


def _body_clean(body: str) -> str:
    return body_pictures_complete(sanitize_body(body))


@transaction.atomic
def article_save(*, article: Article, by, now: datetime | None = None) -> Article:
    """Create or update an article's content; the workflow fields are not touched here, nor,
    by a writer, the editors' flags. An update made on an older version than the stored one
    raises ArticleChangedMeanwhile (articles/versions.py) and changes nothing."""
    creating = article.pk is None
    _keep_editor_choices(article, by=by, creating=creating)
    article.body = _body_clean(article.body)
    article.updated_at = now or timezone.now()
    article.updated_by = by
    if creating:
        article.created_by = by
    else:
        article_version_check(article=article)
        article.version += 1
        old_slug = _keep_workflow_state(article)
    # Only a live story is shown anywhere (an edit never changes whether it is). The lists it
    # was in before the edit and those it is in once committed (the admin saves its topics
    # and bylines after this) are moved.
    shown = not creating and article.is_live()
    shown_in = stories_scopes([article.pk]) if shown else set()
    article.full_clean(exclude=["authors", "tags"])
    article.save()
    body_images_sync([article])
    article_search_document_refresh([article.pk])
    if creating:
        _event(article, Action.CREATED, by)
    else:
        slug_redirect_keep(article=article, old_slug=old_slug)
    if by is not None:
        ArticleAutosave.objects.filter(article=article, user=by).delete()  # saved for real
    if shown:
        transaction.on_commit(lambda: scopes_changed(shown_in | stories_scopes([article.pk])))
    return article


@transaction.atomic
def article_revision_restore(*, article: Article, by, now: datetime | None = None) -> Article:
    """Bring back a revision's content: the story keeps its workflow state (as every edit
    does) and, whoever restores, the editors' flags as they are now, since a revision's
    "breaking" or "free" belonged to that moment, not to its words."""
    stored = Article.objects.values(*EDITOR_FIELDS).get(pk=article.pk)
    for name, value in stored.items():
        setattr(article, name, value)
    return article_save(article=article, by=by, now=now)


def _set_status(article: Article, status: str, *fields: str) -> None:
    article.status = status
    article.save(update_fields=["status", *fields])


@transaction.atomic
def article_submit(*, article: Article, by) -> Article:
    if article.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    _set_status(article, Status.IN_REVIEW)
    _event(article, Action.SUBMITTED, by)
    return article


@transaction.atomic
def article_return_to_draft(*, article: Article, by) -> Article:
    _require(by, "articles.publish_article")
    if article.status != Status.IN_REVIEW:
        raise ValidationError(_("Only a story in review can be returned to its writer."))
    _set_status(article, Status.DRAFT)
    _event(article, Action.RETURNED, by)
    return article


@transaction.atomic
def article_publish(*, article: Article, by, now: datetime | None = None) -> Article:
    """Publish now. A story already live keeps its original publish time."""
    _require(by, "articles.publish_article")
    now = now or timezone.now()
    if not article.is_live(now):
        article.publish_at = now
    article.first_published_at = article.first_published_at or article.publish_at
    article.went_live_at = article.went_live_at or now
    _set_status(article, Status.PUBLISHED, "publish_at", "first_published_at", "went_live_at")
    _event(article, Action.PUBLISHED, by)
    transaction.on_commit(lambda: article_went_live.send(sender=Article, article_id=article.pk))
    return article


@transaction.atomic
def article_schedule(
    *, article: Article, by, publish_at: datetime, now: datetime | None = None
) -> Article:
    """Publish at a future moment; readers see it from then on, without any process running."""
    _require(by, "articles.publish_article")
    now = now or timezone.now()
    if publish_at is None or publish_at <= now:
        raise ValidationError(_("A scheduled story needs a publish time in the future."))
    if article.is_live(now):
        raise ValidationError(_("This story is already live; unpublish it first."))
    article.publish_at = publish_at
    article.went_live_at = None
    _set_status(article, Status.SCHEDULED, "publish_at", "went_live_at")
    _event(article, Action.SCHEDULED, by, note=publish_at.isoformat())
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by) -> Article:
    _require(by, "articles.publish_article")
    if article.status not in (Status.PUBLISHED, Status.SCHEDULED):
        raise ValidationError(_("Only a published or scheduled story can be unpublished."))
    article.went_live_at = None
    article.preview_token = ""  # a pulled story's shared links die with it
    _set_status(article, Status.UNPUBLISHED, "went_live_at", "preview_token")
    _event(article, Action.UNPUBLISHED, by)
    article_unpublished.send(sender=Article, article_id=article.pk)
    return article


def article_go_live_due(*, now: datetime | None = None) -> int:
    """Run the go-live work for scheduled stories whose moment has come; safe to repeat."""
    now = now or timezone.now()
    ids = list(Article.objects.due_for_go_live(now).values_list("pk", flat=True))
    return sum(_article_go_live(article_id=pk, now=now) for pk in ids)


@transaction.atomic
def _article_go_live(*, article_id: int, now: datetime) -> bool:
    article = (
        Article.objects.select_for_update().due_for_go_live(now).filter(pk=article_id).first()
    )
    if article is None:
        return False
    article.went_live_at = now
    article.first_published_at = article.first_published_at or article.publish_at
    _set_status(article, Status.PUBLISHED, "went_live_at", "first_published_at")
    _event(article, Action.WENT_LIVE, None)
    transaction.on_commit(lambda: article_went_live.send(sender=Article, article_id=article.pk))
    return True


# What a shared link shows (articles/views.py): a live story's link leads to its public page.
SHARED_PREVIEW_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED)


def article_preview_refusal(article: Article) -> str:
    """Why a shared preview link of this story would lead nowhere; empty if it leads to the
    story (a live one's, to its public page)."""
    if not article.is_live() and article.status not in SHARED_PREVIEW_STATUSES:
        return _(
            "An unpublished story cannot be previewed by a shared link; publish or schedule "
            "it again first."
        )
    return ""


@transaction.atomic
def article_preview_share(*, article: Article, by) -> str:
    """A secret link that shows the draft without login, until revoked."""
    refusal = article_preview_refusal(article)
    if refusal:
        raise ValidationError(refusal)
    article.preview_token = secrets.token_urlsafe(32)
    article.save(update_fields=["preview_token"])
    _event(article, Action.PREVIEW_SHARED, by)
    return article.preview_token


@transaction.atomic
def article_preview_revoke(*, article: Article, by) -> None:
    article.preview_token = ""
    article.save(update_fields=["preview_token"])
    _event(article, Action.PREVIEW_REVOKED, by)
