"""Caps on the mail that strangers can make us send to one inbox.

Anyone can ask for a password reset, a sign-in code, a sign-up or an alert subscription for
any address, and each sends a mail. Per-client limits do not stop a flood aimed at one inbox
from many clients, and per-address ones are dodged by writing the address another way, so
every such mail is counted against its inbox: lower-cased, without quotes around the local
part and without a `+tag` (`"X+1"@Example.org` is x@example.org), per hour and per day
(MAIL_CAP_PER_INBOX_HOUR, MAIL_CAP_PER_INBOX_DAY). Each budget has its own caps: the account's
mail (codes, resets, verification) and the alerts' confirmations, so that asking for alerts
for someone else's address cannot spend what its owner needs to sign in. A capped mail is
dropped and logged, and the page that asked for it says what it always says.

The cost: someone who spends an inbox's caps delays its owner's own codes and resets until
the hour (or the day) is over. The owner still signs in with their password from their own
client, which failures elsewhere cannot lock (accounts/adapters.py).
"""

import hashlib
import logging
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from newsroom import ratelimit

logger = logging.getLogger(__name__)
HOUR = 3600
DAY = 24 * HOUR


def inbox(address: str) -> str:
    """The inbox an address reaches, as far as we can tell without asking its server."""
    local, _, domain = address.strip().lower().rpartition("@")
    local = local.strip('"').split("+", 1)[0]
    return f"{local}@{domain}"


def mail_allowed(
    *, to: str, kind: str, budget: str = "account", now: datetime | None = None
) -> bool:
    """Count one mail of `kind` to `to` against its inbox's `budget`; False (and logged) when
    that is over a cap."""
    timestamp = (now or timezone.now()).timestamp()
    # Hashed: the cache holds no addresses, and the log line names none.
    name = f"mail:{budget}:" + hashlib.sha256(inbox(to).encode()).hexdigest()[:32]
    allowed = ratelimit.hit(
        name=name, limit=settings.MAIL_CAP_PER_INBOX_HOUR, window=HOUR, now=timestamp
    ) and ratelimit.hit(
        name=name, limit=settings.MAIL_CAP_PER_INBOX_DAY, window=DAY, now=timestamp
    )
    if not allowed:
        logger.warning("Mail not sent, its inbox is over its cap: kind=%s inbox=%s", kind, name)
    return allowed
