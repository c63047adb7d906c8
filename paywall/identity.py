"""The anonymous reader: a random id and a little state, in a signed cookie.

The cookie holds no personal data: a random id, when the donation appeal was last shown or
silenced, which register prompt the reader saw last (so a sign-up can be credited to it), and
the article of a new reader's first metered view with its period: the meter stores nothing
for a reader until they come back with the cookie, and then takes the carried article along
(paywall/meters/base.py, `first_read`). A cookie that fails its signature is a new reader,
never an error.
"""

import functools
import secrets
from dataclasses import dataclass, field, fields

from django.conf import settings
from django.core import signing

from paywall.conf import app_settings

SALT = "paywall.reader"


@dataclass
class Reader:
    id: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    appeal_at: int = 0
    quiet_until: int = 0
    donor_until: int = 0
    prompt: str = ""
    prompt_article: int = 0
    first: int = 0
    first_period: str = ""

    def update(self, **values) -> bool:
        """Whether anything changed: an unchanged reader needs no new cookie."""
        changed = any(getattr(self, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(self, name, value)
        return changed

    def carried(self, period: str) -> int:
        """The first article read, for the meter to store along with the next read that
        period (0: none)."""
        return self.first if self.first_period == period else 0


# A cookie written by another release may carry fields this one does not know.
READER_FIELDS = frozenset(f.name for f in fields(Reader))


@functools.lru_cache(maxsize=1)
def _signer(key: str, fallback_keys: tuple[str, ...]) -> signing.TimestampSigner:
    return signing.TimestampSigner(key=key, fallback_keys=fallback_keys, salt=SALT)


def reader_signer() -> signing.TimestampSigner:
    """The cookie's signer, made once per secret: every metered view reads the cookie and
    most write it, and making one costs a quarter of signing."""
    return _signer(settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


def reader_load(cookies) -> tuple[Reader, bool]:
    """The reader named by the request's cookie, and whether the cookie must be (re)issued."""
    value = cookies.get(app_settings.COOKIE_NAME)
    if value:
        try:
            data = reader_signer().unsign_object(value)
            return Reader(**{k: v for k, v in data.items() if k in READER_FIELDS}), False
        except (signing.BadSignature, TypeError, ValueError, AttributeError):
            pass
    return Reader(), True


def reader_dump(response, reader: Reader) -> None:
    response.set_cookie(
        app_settings.COOKIE_NAME,
        reader_signer().sign_object(vars(reader)),
        max_age=app_settings.COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
