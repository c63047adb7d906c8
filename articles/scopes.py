"""Which scopes (newsroom/page_cache.py) a change in the newsroom moves.

A story's page shows the story (`story:<id>`), its comment thread and the chrome; its related
list is drawn from its section's and its topics' lists. So an edit of a live story moves the
story and the lists it appears in, and the front's when the front showed it; a comment moves
its thread; a section or a footer page moves the chrome. Unpublishing or deleting a story
moves all it was shown in, the front included. The sitemaps follow the archive list, which
every live story's change moves. A live story's update shows on its page, in its feed, in
the sitemaps' lastmod and on the hubs (its section's and topics' pages, which show the
running live story on top): it moves the story, the archive and the hubs' lead (`list:live`,
every live story's), and no list of stories.
"""

from collections.abc import Iterable

from django.core.cache import cache

from articles.models import Article, Comment
from newsroom.page_cache import scopes_changed

CHROME = "chrome"
FRONT = "list:front"
# Every live story: the sitemaps list them all, so any story's change moves it.
ARCHIVE = "list:archive"
# The running live stories on top of their hubs.
LIVE_HUBS = "list:live"
# The stories the front last built shows, so that an edit of any other story leaves it be.
FRONT_IDS_KEY = "articles:front-ids"


def story_scope(article_id: int) -> str:
    return f"story:{article_id}"


def thread_scope(article_id: int) -> str:
    return f"thread:{article_id}"


def section_list_scope(section_id: int) -> str:
    return f"list:section:{section_id}"


def tag_list_scope(tag_id: int) -> str:
    return f"list:tag:{tag_id}"


def stories_scopes(article_ids: Iterable[int], *, front: bool = False) -> set[str]:
    """The stories' scopes and those of the lists they appear in: their sections', their
    topics', and the front's if the front last built showed one of them, or if `front`
    (a story joining or leaving it). Read from the database as it is now."""
    ids = set(article_ids)
    if not ids:
        return set()
    sections = Article.objects.filter(pk__in=ids).values_list("section_id", flat=True)
    tags = Article.tags.through.objects.filter(article_id__in=ids).values_list("tag_id", flat=True)
    names = {story_scope(pk) for pk in ids} | {ARCHIVE}
    names |= {section_list_scope(pk) for pk in sections} | {tag_list_scope(pk) for pk in tags}
    shown = cache.get(FRONT_IDS_KEY)
    if front or shown is None or ids & shown:
        names.add(FRONT)
    return names


def picture_stories(image_id: int) -> set[int]:
    """The stories that show a picture: as their lead, or in their body."""
    leads = Article.objects.filter(lead_image_id=image_id).values_list("pk", flat=True)
    bodies = Article.body_images.through.objects.filter(image_id=image_id)
    return set(leads) | set(bodies.values_list("article_id", flat=True))


def live_scopes(article_id: int) -> set[str]:
    return {story_scope(article_id), ARCHIVE, LIVE_HUBS}


def stories_changed(article_ids: Iterable[int], *, front: bool = False) -> None:
    scopes_changed(stories_scopes(article_ids, front=front))


def threads_changed(article_ids: Iterable[int]) -> None:
    scopes_changed(thread_scope(pk) for pk in set(article_ids))


def reader_threads(user_id: int) -> set[int]:
    """The stories a reader commented on: their name shows there."""
    return set(Comment.objects.filter(user_id=user_id).values_list("article_id", flat=True))
