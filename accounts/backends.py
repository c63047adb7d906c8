"""Sign-in backends whose signed-in readers' rows come from the cache.

Every request of a signed-in reader starts by loading their user row. On the article page
that query (with the connection's health check before it) was a third of the page's work
(docs/benchmarks.md), so readers' rows are kept in the cache for a few minutes and dropped
whenever the row is saved or deleted (accounts/apps.py). Staff rows are never kept: the
admin always sees the database's word on who is staff, active or verified.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends
from django.core.cache import cache
from django.db import transaction

# In the key: a release that changes the user model must not read the old rows.
USER_FORMAT = 1
# Bounds how long a change made in a way that sends no signal (an SQL update) goes unseen.
USER_SECONDS = 300


def _key(user_id) -> str:
    return f"accounts:user:{USER_FORMAT}:{user_id}"


class CachedReaderMixin:
    def get_user(self, user_id):
        user = cache.get(_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is not None and not user.is_staff:
                cache.set(_key(user_id), user, USER_SECONDS)
        return user


class ModelBackend(CachedReaderMixin, backends.ModelBackend):
    """Username and password: the admin's sign-in form."""


class AuthenticationBackend(CachedReaderMixin, auth_backends.AuthenticationBackend):
    """Email and password, or a code by email: the readers' sign-in (allauth)."""


def cached_user_forget(user_id) -> None:
    """At once, and again once the change is committed: a request read in between may have
    put the old row back."""
    cache.delete(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))
