"""Reads for the paywall: the editors' settings, kept briefly in each process."""

import time
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from articles.models import Article
from paywall.conf import app_settings
from paywall.meters.base import EVENTS
from paywall.models import FunnelDay, PaywallSettings

_cache: dict[str, tuple[float, PaywallSettings]] = {}
COPY_FIELDS = ("nudge_text", "wall_text", "donate_text", "donate_thanks_text")


def paywall_settings() -> PaywallSettings:
    """The settings row, or the defaults if editors never saved it.

    Every web process re-reads it after PAYWALL_SETTINGS_CACHE_SECONDS, so the article page
    does not pay a query for it.
    """
    cached = _cache.get("settings")
    if cached and time.monotonic() - cached[0] < app_settings.SETTINGS_CACHE_SECONDS:
        return cached[1]
    row = PaywallSettings.objects.filter(pk=1).first() or PaywallSettings(pk=1)
    # Unsaved, the copy is the translatable defaults: translated here once, not on each view.
    for name in COPY_FIELDS:
        setattr(row, name, str(getattr(row, name)))
    _cache["settings"] = (time.monotonic(), row)
    return row


def paywall_settings_forget() -> None:
    _cache.clear()


# The funnel keeps article ids in a PositiveIntegerField: 2**31 - 1 on every database.
ARTICLE_ID_MAX = 2**31 - 1


def article_published_id(value: str) -> int:
    """The published article a query parameter names, or 0 for none.

    The value comes from anyone: what is not a positive integer in the funnel's range, or
    names no published article, names none, so junk adds no funnel row and never fails.
    """
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= ARTICLE_ID_MAX:
        return 0
    article_id = int(value)
    return article_id if Article.objects.published().filter(pk=article_id).exists() else 0


def funnel_by_day(*, since: date) -> list[dict]:
    """One row per day since `since` (days without events included), summed over articles."""
    rows = {
        row["day"]: row
        for row in FunnelDay.objects.filter(day__gte=since)
        .values("day")
        .annotate(**{name: Sum(name) for name in EVENTS})
    }
    today = timezone.localdate()
    days = [since + timedelta(days=n) for n in range((today - since).days + 1)]
    return [rows.get(day) or dict.fromkeys(EVENTS, 0) | {"day": day} for day in days]


def funnel_by_article(*, since: date, limit: int = 20) -> list[dict]:
    """The articles with the most walls hit since `since`, with their headlines."""
    rows = list(
        FunnelDay.objects.filter(day__gte=since)
        .exclude(article_id=0)
        .values("article_id")
        .annotate(**{name: Sum(name) for name in EVENTS})
        .order_by("-walls", "-views")[:limit]
    )
    headlines = dict(
        Article.objects.filter(pk__in=[r["article_id"] for r in rows]).values_list(
            "pk", "headline"
        )
    )
    for row in rows:
        row["headline"] = headlines.get(row["article_id"], "")
    return rows


def conversion_rate(rows: list[dict]) -> float | None:
    """Sign-ups from a prompt per register prompt shown (nudges and walls), in percent."""
    shown = sum(r["nudges"] + r["walls"] for r in rows)
    return round(100 * sum(r["signups"] for r in rows) / shown, 2) if shown else None
