from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EditorTwoFactorMiddleware:
    """When ACCOUNTS_EDITOR_MFA_REQUIRED is on, editors reach the admin only with TOTP set up.

    Every staff member can turn TOTP on; editors, who publish and send alerts, can be made to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            messages.warning(request, _("Set up two-factor authentication to use the admin."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        user = request.user
        return (
            settings.ACCOUNTS_EDITOR_MFA_REQUIRED
            and request.path.startswith(reverse("admin:index"))
            and user.is_authenticated
            and user.is_staff
            and user.has_perm("articles.publish_article")
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        )
