"""Writes on live coverage: starting, setting up and ending it, and posting, editing,
approving and deleting its updates.

Who may do what. Those who publish (editors) start, set up and end a story's coverage; their
updates are published at once, and they edit, approve and delete every update. A writer
posts to a running story they started or carry a byline on, even once it is published (the
story itself stays closed to them), and edits or deletes only their own updates. A writer's
update follows the story's rule: published at once, or held until an editor approves it;
under "held", a writer's edit of a published update takes it off the page until then, so
that nothing a writer wrote reaches readers unseen.

Every step leaves a WorkflowEvent (the audit trail) and every save a revision
(simple_history). A change readers may see moves the coverage's sequence, which the
new-updates answer counts from, the story's update time (the sitemap's lastmod, the feeds'
updated date) and the story's scopes (articles/scopes.py, `live_scopes`).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.images import image_prepare_upload
from articles.models import Article, Author, Image, LiveCoverage, LiveUpdate, WorkflowEvent
from articles.renditions import image_renditions_refresh
from articles.sanitize import sanitize_body
from articles.scopes import live_scopes
from newsroom.page_cache import scopes_changed
from newsroom.roles import is_writer_only

Action = WorkflowEvent.Action
State = LiveUpdate.State
# What an edit may change; the state, the author and the times are the services' own.
UPDATE_FIELDS = ("headline", "body", "is_key_point", "is_pinned", "is_correction")


def _event(article_id: int, action: str, by, note: str = "") -> None:
    WorkflowEvent.objects.create(article_id=article_id, action=action, actor=by, note=note[:300])


def live_may_run(user) -> bool:
    """Starting, setting up and ending coverage, and approving updates: those who publish."""
    return not is_writer_only(user)


def live_may_post(*, user, coverage: LiveCoverage) -> bool:
    if not coverage.is_running or not user.has_perm("articles.add_liveupdate"):
        return False
    return live_may_run(user) or _authored_by(user, coverage.article_id)


def _authored_by(user, article_id: int) -> bool:
    return Article.objects.by_staff_member(user).filter(pk=article_id).exists()


def live_may_change(*, user, update: LiveUpdate, action: str = "change") -> bool:
    """Editing (`change`) or deleting (`delete`) an update: editors always, a writer their
    own while the coverage runs, as for posting (after it, the story is the editors')."""
    if not user.has_perm(f"articles.{action}_liveupdate"):
        return False
    if live_may_run(user):
        return True
    return update.created_by_id == user.pk and update.coverage.is_running


def _locked(coverage: LiveCoverage) -> LiveCoverage:
    return LiveCoverage.objects.select_for_update().get(pk=coverage.pk)


def _shown_changed(coverage: LiveCoverage, now: datetime) -> int:
    """The next sequence number, and the story's update time and scopes moved with it: a
    change readers may see."""
    coverage.sequence += 1
    coverage.save(update_fields=["sequence"])
    Article.objects.filter(pk=coverage.article_id).update(updated_at=now)
    scopes_changed(live_scopes(coverage.article_id))
    return coverage.sequence


@transaction.atomic
def live_start(
    *,
    article: Article,
    by,
    writer_updates: str = LiveCoverage.WriterUpdates.HELD,
    now: datetime | None = None,
) -> LiveCoverage:
    """The story becomes live; started again after an end, it carries on its timeline."""
    if not live_may_run(by):
        raise PermissionDenied(_("Only editors start live coverage."))
    now = now or timezone.now()
    coverage, created = LiveCoverage.objects.get_or_create(
        article=article, defaults={"writer_updates": writer_updates, "started_at": now}
    )
    coverage = _locked(coverage)
    if not created and coverage.is_running:
        return coverage
    coverage.is_running, coverage.ended_at = True, None
    coverage.writer_updates = writer_updates
    coverage.full_clean()
    coverage.save(update_fields=["is_running", "ended_at", "writer_updates"])
    _shown_changed(coverage, now)
    _event(article.pk, Action.LIVE_STARTED, by)
    return coverage


@transaction.atomic
def live_settings_save(*, coverage: LiveCoverage, by, writer_updates: str) -> LiveCoverage:
    if not live_may_run(by):
        raise PermissionDenied(_("Only editors set up live coverage."))
    coverage = _locked(coverage)
    coverage.writer_updates = writer_updates
    coverage.full_clean()
    coverage.save(update_fields=["writer_updates"])
    _event(coverage.article_id, Action.LIVE_CHANGED, by, coverage.get_writer_updates_display())
    return coverage


@transaction.atomic
def live_end(*, coverage: LiveCoverage, by, now: datetime | None = None) -> LiveCoverage:
    """ "Live" off: the page reads as a finished story with its timeline; held updates stay
    held, and nobody posts until an editor starts it again."""
    if not live_may_run(by):
        raise PermissionDenied(_("Only editors end live coverage."))
    coverage = _locked(coverage)
    if not coverage.is_running:
        return coverage
    now = now or timezone.now()
    coverage.is_running, coverage.ended_at = False, now
    coverage.save(update_fields=["is_running", "ended_at"])
    _shown_changed(coverage, now)
    _event(coverage.article_id, Action.LIVE_ENDED, by)
    return coverage


def _picture(picture, by) -> Image | None:
    """A picture uploaded with the update: checked and cleaned like any other upload.
    `picture` is (file, alt text, caption, credit), or None."""
    if picture is None:
        return None
    upload, alt_text, caption, credit = picture
    if not alt_text:
        raise ValidationError({"image_alt": _("Say what the picture shows.")})
    image = Image(
        file=image_prepare_upload(upload),
        alt_text=alt_text,
        caption=caption,
        credit=credit,
        uploaded_by=by,
    )
    image.full_clean()
    image.save()
    image_renditions_refresh(image=image)
    return image


def _published_at_once(coverage: LiveCoverage, by) -> bool:
    return live_may_run(by) or coverage.writer_updates == LiveCoverage.WriterUpdates.IMMEDIATE


def _clean(update: LiveUpdate) -> None:
    update.body = sanitize_body(update.body)
    update.full_clean(exclude=["coverage", "image", "author"])


@transaction.atomic
def live_update_post(
    *, coverage: LiveCoverage, by, update: LiveUpdate, picture=None, now: datetime | None = None
) -> LiveUpdate:
    """A new update, by `by` (under the byline the update names, else theirs when they have
    one): published at once or held, as the story's rule says for them."""
    if not live_may_post(user=by, coverage=coverage):
        raise PermissionDenied(_("You cannot post updates to this story."))
    coverage = _locked(coverage)
    now = now or timezone.now()
    update.coverage = coverage
    update.created_by = by
    update.author = update.author or Author.objects.filter(user=by).first()
    update.created_at = update.updated_at = now
    _clean(update)
    update.image = _picture(picture, by) or update.image
    if _published_at_once(coverage, by):
        update.state, update.published_at = State.PUBLISHED, now
        update.changed_in = _shown_changed(coverage, now)
        action = Action.UPDATE_POSTED
    else:
        update.state = State.HELD
        action = Action.UPDATE_HELD
    update.save()
    _event(coverage.article_id, action, by, update.headline)
    return update


def _update_locked(update: LiveUpdate) -> tuple[LiveUpdate, LiveCoverage]:
    coverage = LiveCoverage.objects.select_for_update().get(pk=update.coverage_id)
    update = LiveUpdate.objects.select_for_update().get(pk=update.pk)
    update.coverage = coverage
    return update, coverage


@transaction.atomic
def live_update_edit(
    *, update: LiveUpdate, by, values: dict, picture=None, now: datetime | None = None
) -> LiveUpdate:
    """Changes the update's text, picture and flags (`values`, of UPDATE_FIELDS)."""
    update, coverage = _update_locked(update)
    if not live_may_change(user=by, update=update):
        raise PermissionDenied(_("You can edit only your own updates, while the story is live."))
    if update.state == State.REMOVED:
        raise ValidationError(_("This update was deleted."))
    now = now or timezone.now()
    for name in UPDATE_FIELDS:
        if name in values:
            setattr(update, name, values[name])
    _clean(update)
    update.image = _picture(picture, by) or update.image
    update.updated_at = now
    if update.state == State.PUBLISHED:
        if not _published_at_once(coverage, by):
            update.state = State.HELD  # back to the editors, off the page until approved
        update.changed_in = _shown_changed(coverage, now)
    update.save()
    _event(coverage.article_id, Action.UPDATE_EDITED, by, update.headline)
    return update


@transaction.atomic
def live_update_approve(*, update: LiveUpdate, by, now: datetime | None = None) -> LiveUpdate:
    """A held update goes on the page, timed from now: readers see it as new."""
    if not live_may_run(by):
        raise PermissionDenied(_("Only editors approve updates."))
    update, coverage = _update_locked(update)
    if update.state != State.HELD:
        return update
    now = now or timezone.now()
    update.state, update.published_at = State.PUBLISHED, update.published_at or now
    update.changed_in = _shown_changed(coverage, now)
    update.save(update_fields=["state", "published_at", "changed_in"])
    _event(coverage.article_id, Action.UPDATE_APPROVED, by, update.headline)
    return update


@transaction.atomic
def live_update_delete(*, update: LiveUpdate, by, now: datetime | None = None) -> None:
    """Off the page and out of the desk. The row stays, marked deleted, so that open pages
    learn to drop it; its text stays in the revision history for the newsroom only."""
    update, coverage = _update_locked(update)
    if not live_may_change(user=by, update=update, action="delete"):
        raise PermissionDenied(_("You can delete only your own updates, while the story is live."))
    if update.state == State.REMOVED:
        return
    now = now or timezone.now()
    if update.state == State.PUBLISHED:
        update.changed_in = _shown_changed(coverage, now)
    update.state, update.updated_at = State.REMOVED, now
    update.save(update_fields=["state", "updated_at", "changed_in"])
    _event(coverage.article_id, Action.UPDATE_DELETED, by, update.headline)
