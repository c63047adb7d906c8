"""Writes on a reader's own account: profile, data export, deletion."""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Profile, Subscriber
from articles.caching import content_changed
from articles.models import Comment


@transaction.atomic
def profile_update(*, user, display_name: str) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.display_name = display_name.strip()
    profile.full_clean()
    profile.save(update_fields=["display_name"])
    # The name shows under the reader's comments on cached article pages.
    transaction.on_commit(content_changed)
    return profile


def account_export(*, user) -> dict:
    """Everything the site keeps about a reader, as they can take it away (JSON-ready)."""
    profile = Profile.objects.filter(user=user).first()
    donor = getattr(user, "donor", None)
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "display_name": profile.display_name if profile else "",
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "comments": [
            {
                "article": c.article.get_absolute_url(),
                "headline": c.article.headline,
                "posted": c.created_at.isoformat(),
                "text": c.body,
                "hidden_by_editors": c.is_hidden,
            }
            for c in Comment.objects.filter(user=user).select_related("article")
        ],
        "alert_subscriptions": [
            {"email": s.email, "state": s.state, "signed_up": s.created_at.isoformat()}
            for s in _subscriptions(user)
        ],
        "donor_until": donor.until.isoformat() if donor else None,
    }


def _subscriptions(user):
    return Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email))


@transaction.atomic
def account_delete(*, user) -> None:
    """Remove the reader and their personal data; their comments stay, anonymous."""
    if user.is_staff:
        raise PermissionDenied(_("Staff accounts are closed by an administrator."))
    Comment.objects.filter(user=user).update(user=None)
    transaction.on_commit(content_changed)
    _subscriptions(user).delete()
    user.delete()
