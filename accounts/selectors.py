"""What the article page needs to know of a signed-in reader, kept in the cache.

Asking the database costs more than the rest of the registered reader's page (an ORM query
with a subquery and a join), so the answer is kept for a few minutes and dropped whenever one
of the user's email addresses or their donor record changes (accounts/apps.py).
"""

from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef

# In the key: a release that changes AccountFacts must not read the old ones.
FACTS_FORMAT = 1
# Bounds how long a change made in a way that sends no signal (an SQL update) goes unseen.
FACTS_SECONDS = 300


@dataclass(frozen=True)
class AccountFacts:
    email_verified: bool  # comments need a confirmed address
    donor_until: datetime | None  # no donation appeals until then


def _key(user_id: int) -> str:
    return f"accounts:facts:{FACTS_FORMAT}:{user_id}"


def account_facts(user) -> AccountFacts:
    facts = cache.get(_key(user.pk))
    if facts is None:
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list(Exists(verified), "donor__until")
            .first()
        )
        facts = AccountFacts(*row) if row else AccountFacts(False, None)
        cache.set(_key(user.pk), facts, FACTS_SECONDS)
    return facts


def account_facts_forget(user_id: int) -> None:
    """At once, and again once the change is committed: a page read in between may have put
    the old facts back."""
    cache.delete(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))


def request_account_facts(request) -> AccountFacts:
    """Asked once per request: the paywall's appeal and the comment form both need them."""
    if not hasattr(request, "_account_facts"):
        request._account_facts = account_facts(request.user)
    return request._account_facts
