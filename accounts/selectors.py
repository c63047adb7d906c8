"""What the article page needs to know of a signed-in reader.

The row the sign-in backend loads for each request carries it (accounts/backends.py), from
the cache; a user object that did not come that way (the one just signed up or signed in,
within that request) is asked of the database.
"""

from dataclasses import dataclass
from datetime import datetime

from accounts.backends import user_with_facts


@dataclass(frozen=True)
class AccountFacts:
    email_verified: bool  # comments need a confirmed address
    donor_until: datetime | None  # no donation appeals until then


def account_facts(user) -> AccountFacts:
    if not hasattr(user, "email_verified"):
        user = user_with_facts(user.pk)
        if user is None:  # deleted since the request began
            return AccountFacts(False, None)
    return AccountFacts(user.email_verified, user.donor_until)


def request_account_facts(request) -> AccountFacts:
    """Asked once per request: the paywall's appeal and the comment form both need them."""
    if not hasattr(request, "_account_facts"):
        request._account_facts = account_facts(request.user)
    return request._account_facts
