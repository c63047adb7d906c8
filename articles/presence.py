"""Who has a story's form open: each open form pings every few seconds, and the list lives
in the cache only (no row per ping), under one key per story that expires with the pings.

Two pings at once may each write the list without the other's entry; the next ping puts it
back, which is all a "who else is here" line needs.
"""

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

PING_SECONDS = 15
# A form that missed two pings is taken to be closed.
GONE_AFTER_SECONDS = 2 * PING_SECONDS + 5


def _key(article_id: int) -> str:
    return f"articles:presence:{article_id}"


def article_presence_ping(*, article_id: int, user, now: datetime | None = None) -> list[dict]:
    """Record that `user` has the story open; return the others who have, with since when."""
    now = now or timezone.now()
    present = {
        user_id: entry
        for user_id, entry in (cache.get(_key(article_id)) or {}).items()
        if (now - entry["seen"]).total_seconds() < GONE_AFTER_SECONDS
    }
    mine = present.get(user.pk)
    present[user.pk] = {
        "name": user.get_full_name() or user.email,
        "since": mine["since"] if mine else now,
        "seen": now,
    }
    cache.set(_key(article_id), present, timeout=GONE_AFTER_SECONDS)
    return [
        {"name": entry["name"], "since": entry["since"]}
        for user_id, entry in sorted(present.items(), key=lambda item: item[1]["since"])
        if user_id != user.pk
    ]


def article_presence_leave(*, article_id: int, user) -> None:
    present = cache.get(_key(article_id)) or {}
    if present.pop(user.pk, None) is not None:
        cache.set(_key(article_id), present, timeout=GONE_AFTER_SECONDS)
