"""Browsers their owner signed in on: the per-address backstop does not lock them out.

Many clients guessing one address's password lock that address to emailed codes and resets
(accounts/adapters.py), which anyone with a few addresses could do to an editor on purpose.
A browser that signed in as an account carries a signed cookie with, per account, its id
and a token made from its password's hash: it keeps signing in by password, and a password
change or reset ends that. The cookie names no address, and the per-client limits still
hold for the browser.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

COOKIE = "known_device"
SALT = "accounts.known_devices"
MAX_AGE = 365 * 24 * 3600
KEPT = 5  # accounts one browser signs in as: a shared desk computer, a second account


def _token(user) -> str:
    return salted_hmac(SALT, user.get_session_auth_hash()).hexdigest()[:32]


def _known(request) -> list[list]:
    """The cookie's (id, token) pairs; none when it is missing, old or tampered with."""
    try:
        pairs = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(pairs, list):
        return []
    return [pair for pair in pairs if isinstance(pair, list) and len(pair) == 2]


def device_known(request, login: str) -> bool:
    """Whether this browser signed in before as the account `login` names, with its
    password as it is now."""
    known = dict((str(pk), token) for pk, token in _known(request))
    if not known:
        return False
    users = get_user_model().objects.filter(email__iexact=login.strip(), pk__in=known)
    return any(constant_time_compare(known[str(user.pk)], _token(user)) for user in users)


def device_remember(request, response, user) -> None:
    pairs = [[user.pk, _token(user)], *(p for p in _known(request) if p[0] != user.pk)]
    response.set_cookie(
        COOKIE,
        signing.dumps(pairs[:KEPT], salt=SALT),
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
