"""Browsers their owner signed in on: the per-address backstop does not lock them out.

Many clients guessing one address's password lock that address to emailed codes and resets
(accounts/adapters.py), which anyone with a few addresses could do to an editor on purpose.
A browser that signed in as an address before carries a signed cookie naming it (as a
digest, never the address), and keeps signing in by password; the per-client limits still
hold for it.
"""

import hashlib

from django.conf import settings
from django.core import signing

COOKIE = "known_device"
SALT = "accounts.known_devices"
MAX_AGE = 365 * 24 * 3600
KEPT = 5  # addresses one browser signs in as: a shared desk computer, a second account


def address_digest(login: str) -> str:
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()


def known_digests(request) -> list[str]:
    """What the browser's cookie names; nothing when it is missing, old or tampered with."""
    try:
        digests = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(digests, list) or not all(isinstance(d, str) for d in digests):
        return []
    return digests


def device_remember(request, response, login: str) -> None:
    digest = address_digest(login)
    kept = [digest, *(d for d in known_digests(request) if d != digest)][:KEPT]
    response.set_cookie(
        COOKIE,
        signing.dumps(kept, salt=SALT),
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
