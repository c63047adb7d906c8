from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What a reader chooses to show of themselves; sign-up asks for none of it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_("Shown with your comments. Leave empty to comment as “Reader”."),
    )

    def __str__(self):
        return self.display_name or str(self.user)
