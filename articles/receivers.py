"""What moves stored pages' scopes when a change comes by a signal: the admin's plain saves,
a story deleted outright, the workflow's moments and a reader's new name. Connected in
apps.py."""

from articles import signals
from articles.models import Article, Image, LiveUpdate, Tag
from articles.scopes import (
    CHROME,
    picture_stories,
    reader_threads,
    stories_changed,
    story_scope,
    threads_changed,
)
from newsroom.page_cache import scopes_changed


def article_deleting(sender, instance, **kwargs):
    """Its lists are read while its section and topics are still there."""
    stories_changed([instance.pk], front=True)


def article_deleted(sender, instance, **kwargs):
    signals.article_deleted.send(sender=sender, article_id=instance.pk)


def story_moves(sender, article_id, **kwargs):
    """A story joining or leaving what readers see: it, its lists and the front."""
    stories_changed([article_id], front=True)


def chrome_moves(sender, **kwargs):
    """A section's name shows in the menu, on its stories' pages and on the front."""
    scopes_changed([CHROME])


def showing_stories_move(sender, instance, created=False, **kwargs):
    """The stories that show this author, topic or picture; a picture shows in their teasers
    too, so the lists they are in move with them. A new one shows nowhere yet."""
    if created:
        return
    if sender is not Tag:  # a live story's updates show their author and picture too
        field = "image" if sender is Image else "author"
        updates = LiveUpdate.objects.filter(**{field: instance})
        scopes_changed(story_scope(pk) for pk in updates.values_list("coverage_id", flat=True))
    if sender is Image:
        stories_changed(picture_stories(instance.pk))
        return
    showing = Article.objects.filter(**{"tags" if sender is Tag else "authors": instance})
    scopes_changed(story_scope(pk) for pk in showing.values_list("pk", flat=True))


def correction_moves(sender, instance, **kwargs):
    scopes_changed([story_scope(instance.article_id)])


def threads_move(sender, user_id, **kwargs):
    threads_changed(reader_threads(user_id))
