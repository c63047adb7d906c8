"""Sign-in backends that load a signed-in reader's row, with what the pages need to know of
them, from the cache.

Every request of a signed-in reader starts by loading their user row. On the article page
that query (with the connection's health check before it) was a third of the page's work
(docs/benchmarks.md), so readers' rows are kept in the cache for a few minutes and dropped
whenever the row, one of its email addresses or its donor record is saved or deleted
(`cached_user_forget_on_change`). The row carries whether the reader's email is confirmed
and until when they count as a donor (accounts/selectors.py), so a page needs no second
lookup. Staff rows are never kept: the admin always has the database's word on who is
staff or active.

A kept row includes the reader's password hash (a session is checked against it), so the
cache must be as private as the database; it already holds everyone's sessions. A change is
marked in the cache for half a minute rather than deleted, and rows are only added, never
written over: a request that read the row before the change cannot put it back. A change
made while the cache is unreachable, or by an SQL update, is seen within USER_SECONDS.
"""

import django
from allauth.account import auth_backends
from allauth.account.models import EmailAddress
from django.contrib.auth import backends, get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.signals import post_delete, post_save

# In the key, with Django's version: a release that changes the user model or its
# annotations must not read the old rows.
USER_FORMAT = 2
# Bounds how long a change made in a way that sends no signal (an SQL update) goes unseen.
USER_SECONDS = 300
# How long a changed row is read from the database only: longer than any request that may
# have read it before the change.
CHANGED_SECONDS = 30
CHANGED = "changed"
# A sign-in moves only the time of the last one, which no page shows.
SIGN_IN_FIELDS = frozenset({"last_login"})


def cached_user_key(user_id) -> str:
    return f"accounts:user:{USER_FORMAT}:{django.__version__}:{user_id}"


def user_with_facts(user_id):
    """The user row, with `email_verified` and `donor_until` (None if never a donor)."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return (
        get_user_model()
        ._default_manager.annotate(email_verified=Exists(verified), donor_until=F("donor__until"))
        .filter(pk=user_id)
        .first()
    )


class CachedReaderMixin:
    def get_user(self, user_id):
        user = cache.get(cached_user_key(user_id))
        if user is None or user == CHANGED:
            user = user_with_facts(user_id)
            if user is None or not self.user_can_authenticate(user):
                return None
            if not user.is_staff:
                cache.add(cached_user_key(user_id), user, USER_SECONDS)  # not over a change's mark
        return user


class ModelBackend(CachedReaderMixin, backends.ModelBackend):
    """Username and password: the admin's sign-in form."""


class AuthenticationBackend(CachedReaderMixin, auth_backends.AuthenticationBackend):
    """Email and password, or a code by email: the readers' sign-in (allauth)."""


def cached_user_forget(user_id) -> None:
    """At once, and again once the change is committed (a request may have stored the row
    in between)."""
    cache.set(cached_user_key(user_id), CHANGED, CHANGED_SECONDS)
    transaction.on_commit(lambda: cache.set(cached_user_key(user_id), CHANGED, CHANGED_SECONDS))


def cached_user_forget_on_change(model, *, user_id: str) -> None:
    """Drop the kept row of the reader whose `model` row (found by its `user_id` attribute)
    is saved or deleted: it, or what it carries, has changed."""

    def receiver(sender, instance, update_fields=None, **kwargs):
        if update_fields != SIGN_IN_FIELDS:
            cached_user_forget(getattr(instance, user_id))

    uid = f"cached-user-{model._meta.label}"
    post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
