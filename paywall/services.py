"""Writes of the paywall: editors' settings, donors, the funnel's counters."""

import hashlib
import hmac
import logging
import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from paywall.conf import app_settings
from paywall.meters import meter_load
from paywall.meters.base import MeterBase, MeterUnavailable, period_for
from paywall.models import DonationReturn, Donor, PaywallSettings
from paywall.selectors import paywall_settings, paywall_settings_forget

logger = logging.getLogger(__name__)

# How long a donation return link from the payment platform stays valid.
RETURN_LINK_MAX_AGE = timedelta(days=2)


@transaction.atomic
def paywall_settings_save(*, rules: PaywallSettings) -> PaywallSettings:
    rules.pk = 1
    rules.full_clean()
    rules.save()
    transaction.on_commit(paywall_settings_forget)
    return rules


def funnel_count(*, meter: MeterBase, event: str, article_id: int, now: datetime) -> None:
    """Count a funnel event; analytics never take a page down."""
    try:
        meter.bump(event=event, article_id=article_id, day=period_for(now).day)
    except MeterUnavailable:
        logger.exception("Paywall funnel counter unavailable; %s not counted", event)


def funnel_flush(*, now: datetime | None = None) -> int:
    return meter_load().housekeep(now=now or timezone.now())


def signup_credit(*, paywall, now: datetime) -> None:
    """A new account whose reader saw a nudge or the wall counts as that prompt's sign-up."""
    seen = paywall.prompt_seen()
    if seen:
        funnel_count(meter=paywall.meter, event="signups", article_id=seen[1], now=now)
        paywall.update(prompt="", prompt_article=0)


def appeal_dismiss(*, paywall, now: datetime) -> None:
    days = paywall_settings().donate_dismiss_days
    paywall.update(quiet_until=int((now + timedelta(days=days)).timestamp()))


def donation_signature(*, reference: str, amount: str, timestamp: str) -> str:
    """What the payment platform puts in `sig` of its return link (HMAC-SHA256, hex)."""
    message = f"{reference}:{amount}:{timestamp}".encode()
    return hmac.new(app_settings.DONATION_SECRET.encode(), message, hashlib.sha256).hexdigest()


# The signed message joins its fields with colons: a reference or an amount holding one could
# be split another way under the same signature, and pass the one-use check as a new link.
RETURN_REFERENCE = re.compile(r"[A-Za-z0-9_.-]{1,100}")
RETURN_AMOUNT = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")


def donation_return_valid(*, params, now: datetime) -> bool:
    reference, amount = params.get("ref", ""), params.get("amount", "")
    if not (RETURN_REFERENCE.fullmatch(reference) and RETURN_AMOUNT.fullmatch(amount)):
        return False
    try:
        sent_at = datetime.fromtimestamp(int(params.get("ts", "")), tz=UTC)
    except (ValueError, OverflowError):
        return False
    expected = donation_signature(reference=reference, amount=amount, timestamp=params["ts"])
    fresh = now - RETURN_LINK_MAX_AGE <= sent_at <= now + timedelta(minutes=5)
    return fresh and hmac.compare_digest(expected, params.get("sig", ""))


class DonationReturnOutcome(StrEnum):
    CONFIRMED = "confirmed"
    INVALID = "invalid"  # not signed by the platform, stale, or malformed
    USED = "used"  # confirmed once already: a replay marks nobody


@transaction.atomic
def donation_return_confirm(*, params, paywall, user, now: datetime) -> DonationReturnOutcome:
    """The platform's return link marks the donor once: a second use, by anyone, is refused."""
    if not donation_return_valid(params=params, now=now):
        return DonationReturnOutcome.INVALID
    used = DonationReturn(
        reference=params["ref"], used_at=now, user=user if user.is_authenticated else None
    )
    try:
        used.full_clean(validate_unique=False)  # the unique index decides, race-free
    except ValidationError:
        return DonationReturnOutcome.INVALID
    try:
        with transaction.atomic():
            used.save(force_insert=True)
    except IntegrityError:
        return DonationReturnOutcome.USED
    donor_mark(paywall=paywall, user=user, source=Donor.Source.PLATFORM, now=now)
    return DonationReturnOutcome.CONFIRMED


@transaction.atomic
def donor_mark(*, paywall, user, source: str, now: datetime) -> None:
    """No appeals for the set number of days: in the reader's cookie, and on the account."""
    until = now + timedelta(days=paywall_settings().donor_quiet_days)
    stamp = int(until.timestamp())
    paywall.update(quiet_until=max(paywall.reader.quiet_until, stamp), donor_until=stamp)
    if user.is_authenticated:
        Donor.objects.update_or_create(user=user, defaults={"until": until, "source": source})


def donor_export(user) -> str | None:
    """Until when a reader counts as a donor, for their data export."""
    donor = Donor.objects.filter(user=user).first()
    return donor.until.isoformat() if donor else None


def donor_forget(user) -> None:
    Donor.objects.filter(user=user).delete()


def donation_returns_export(user) -> list[dict]:
    """The return links a reader used, for their data export."""
    used = DonationReturn.objects.filter(user=user).order_by("used_at")
    return [{"reference": row.reference, "used_at": row.used_at.isoformat()} for row in used]


def donation_returns_forget(user) -> None:
    """The used links stay, so that none can confirm a donation again, but no longer say
    whose they were."""
    DonationReturn.objects.filter(user=user).update(user=None)
