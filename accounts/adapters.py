from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import ValidationError

from newsroom import mail_caps
from newsroom.client import client_address
from newsroom.links import absolute_url, site_url_rebased


class ReaderAccountAdapter(DefaultAccountAdapter):
    """allauth as it comes, but for how a password is saved, failed sign-ins counted per
    address and client, and mail capped per inbox."""

    def set_password(self, user, password):
        """Only the password is written: the reader's row may come from the cache
        (accounts/backends.py), and saving all of it could undo a change made meanwhile."""
        user.set_password(password)
        user.save(update_fields=["password"])

    def get_client_ip(self, request):
        """The one client address (newsroom/client.py), for every allauth rate limit."""
        return client_address(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The key of `login_failed`'s per-key limit: the address and the client together.

        Keyed by the address alone (allauth's way), five wrong passwords typed by anyone
        would keep the address's owner out; this way they keep out only whoever typed them.
        Guessing one address from many clients still meets the per-client limit of each.
        """
        address_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{address_key}:{client_address(request)}"

    def pre_authenticate(self, request, **credentials):
        """A limited sign-in gets the 429 page (templates/429.html), which says what to do,
        rather than a form error."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from error
            raise

    def send_mail(self, template_prefix, email, context):
        """Every allauth mail can be asked for by a stranger: each counts against its inbox's
        caps (newsroom/mail_caps.py), and a capped one is silently not sent."""
        kind = template_prefix.rsplit("/", 1)[-1]
        if mail_caps.mail_allowed(to=email, kind=kind):
            super().send_mail(template_prefix, email, self._on_site(context))

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def _on_site(self, context: dict) -> dict:
        """allauth builds a mail's links (`password_reset_url`, `signup_url`...) from the
        request's host and signs it with the sites framework's row (example.com): both come
        from SITE_URL and SITE_NAME, as in every other email."""
        site = MailSite(
            name=settings.SITE_NAME,
            domain=urlsplit(absolute_url("/", request=self.request)).netloc,
        )
        return {
            "current_site": site,
            **{
                key: site_url_rebased(value)
                if key.endswith("_url") and isinstance(value, str)
                else value
                for key, value in context.items()
            },
        }


@dataclass(frozen=True)
class MailSite:
    name: str
    domain: str
