"""A request's paywall: who the reader is, and what they may read of an article.

The middleware puts one `ReaderAccess` on each request as `request.paywall`; the article view
asks it `access(article)`, which costs at most one meter round trip.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.functional import cached_property

from accounts.selectors import request_account_facts
from newsroom.client import client_address
from paywall.crawlers import crawler_verified
from paywall.identity import Reader, reader_dump, reader_load
from paywall.meters.base import MeterBase, MeterUnavailable, period_for
from paywall.models import FunnelDay
from paywall.policy import Prompt, ReaderKind, appeal_due, decide, is_metered
from paywall.prompts import PromptView, prompt_html, prompts_build
from paywall.selectors import paywall_settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Access:
    """What one reader gets of one article: the full body or the lead, and the prompts."""

    full: bool
    prompts: tuple[PromptView, ...] = ()

    def prompts_html(self, *, article_id: int, path: str) -> str:
        return "".join(prompt_html(prompt, article_id, path) for prompt in self.prompts)


UNMETERED = Access(full=True)


class ReaderAccess:
    def __init__(self, request, meter: MeterBase):
        self.request = request
        self.meter = meter
        self._changed = False
        self._new = False

    @cached_property
    def reader(self) -> Reader:
        """Loaded on first use; a new reader gets a cookie only once metered or updated."""
        reader, self._new = reader_load(self.request.COOKIES)
        return reader

    @cached_property
    def kind(self) -> ReaderKind:
        if self.request.user.is_authenticated:
            return ReaderKind.REGISTERED
        # From META: `request.headers` would first copy every header of the request.
        if crawler_verified(
            ip=client_address(self.request),
            user_agent=self.request.META.get("HTTP_USER_AGENT", ""),
        ):
            return ReaderKind.CRAWLER
        return ReaderKind.ANONYMOUS

    def update(self, **values) -> None:
        """Change the reader's cookie state; the middleware sends the cookie."""
        self._changed |= self.reader.update(**values)

    def unmetered(self) -> Access:
        """What a staff or shared preview shows: the whole story, no prompt, nothing counted."""
        return UNMETERED

    def access(self, article, *, now: datetime | None = None) -> Access:
        now = now or timezone.now()
        rules = paywall_settings()
        result = None
        if is_metered(kind=self.kind, is_free=article.is_free, rules=rules):
            result = self._read(article.pk, now, rules)
        decision = decide(kind=self.kind, is_free=article.is_free, meter=result, rules=rules)
        if decision.prompt:
            self.update(prompt=str(decision.prompt), prompt_article=article.pk)
        appeal = self._appeal(decision.full, int(now.timestamp()), rules)
        return Access(
            full=decision.full,
            prompts=prompts_build(decision=decision, appeal=appeal, rules=rules),
        )

    def may_read(self, article, *, now: datetime | None = None) -> bool:
        """Whether this reader gets the article in full, as a view of it now would, without
        counting anything: for what a page that was served asks again. A request without the
        reader's cookie was served no page here, so it gets the public answer (dropping the
        cookie must not read past the meter); a meter that fails opens, as for a view."""
        rules = paywall_settings()
        if not is_metered(kind=self.kind, is_free=article.is_free, rules=rules):
            return True
        reader, period = self.reader, period_for(now or timezone.now())
        if self._new:
            return False
        if reader.carried(period.key) == article.pk:
            return True
        try:
            return self.meter.counted(reader=reader.id, article_id=article.pk, period=period)
        except MeterUnavailable:
            logger.exception("Paywall meter unavailable; article %s read in full", article.pk)
            return True

    def _read(self, article_id: int, now: datetime, rules):
        period = period_for(now)
        reader = self.reader
        self._changed |= self._new
        try:
            if self._new and not reader.first:
                return self._first_read(article_id, period, rules)
            return self.meter.read(
                reader=reader.id,
                article_id=article_id,
                period=period,
                limit=rules.wall_after,
                nudge_from=rules.nudge_from,
                carried=reader.carried(period.key),
            )
        except MeterUnavailable:
            logger.exception("Paywall meter unavailable; serving article %s in full", article_id)
            _count_meter_error(period.day, article_id)
            return None

    def _first_read(self, article_id: int, period, rules):
        """A reader without a cookie is stored nowhere: the article read rides in the cookie
        the response sets, and reaches the meter's store only if the reader comes back."""
        result = self.meter.first_read(
            article_id=article_id,
            period=period,
            limit=rules.wall_after,
            nudge_from=rules.nudge_from,
        )
        if result.allowed:
            self.update(first=article_id, first_period=period.key)
        return result

    def donor_until(self) -> int:
        """Until when (unix seconds) this reader counts as a recent donor."""
        user = self.request.user
        until = request_account_facts(self.request).donor_until if user.is_authenticated else None
        return max(self.reader.donor_until, int(until.timestamp()) if until else 0)

    def _appeal(self, full: bool, now: int, rules) -> bool:
        quiet_until = max(self.reader.quiet_until, self.donor_until())
        due = appeal_due(
            kind=self.kind,
            full=full,
            now=now,
            last_shown=self.reader.appeal_at,
            quiet_until=quiet_until,
            rules=rules,
        )
        if due:
            self.update(appeal_at=now)
        return due

    def prompt_seen(self) -> tuple[Prompt, int] | None:
        """The register prompt this reader saw last, and on which article."""
        if self.reader.prompt in (Prompt.NUDGE, Prompt.WALL):
            return Prompt(self.reader.prompt), self.reader.prompt_article
        return None

    def save(self, response) -> None:
        if self._changed:
            reader_dump(response, self.reader)


def _count_meter_error(day, article_id: int) -> None:
    """Counted in the database: the meter's own store is the one failing."""
    try:
        with transaction.atomic():
            FunnelDay.objects.add(day=day, article_id=article_id, meter_errors=1)
    except DatabaseError:
        logger.exception("Could not count a paywall meter error")
