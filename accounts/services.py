"""Writes on a reader's own account: profile, data export, deletion."""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.account_data import account_parts
from accounts.models import Profile
from accounts.signals import display_name_changed


@transaction.atomic
def profile_update(*, user, display_name: str) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.display_name = display_name.strip()
    profile.full_clean()
    profile.save(update_fields=["display_name"])
    transaction.on_commit(lambda: display_name_changed.send(sender=Profile, user_id=user.pk))
    return profile


def account_export(*, user) -> dict:
    """Everything the site keeps about a reader, as they can take it away (JSON-ready)."""
    profile = Profile.objects.filter(user=user).first()
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
        **{part.name: part.export(user) for part in account_parts()},
    }


@transaction.atomic
def account_delete(*, user) -> None:
    """Remove the reader and their personal data; each app removes or anonymises its part."""
    if user.is_staff:
        raise PermissionDenied(_("Staff accounts are closed by an administrator."))
    for part in account_parts():
        part.delete(user)
    user.delete()
