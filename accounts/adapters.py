import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.known_devices import device_known, device_remember
from newsroom import mail_caps, ratelimit
from newsroom.client import client_address, client_key
from newsroom.links import absolute_url, site_url_rebased


def _login(credentials) -> str:
    return credentials.get("email", credentials.get("username", ""))


def _address_limit_name(credentials) -> str:
    login = _login(credentials).strip().lower()
    return "login_failed:address:" + hashlib.sha256(login.encode()).hexdigest()


class ReaderAccountAdapter(DefaultAccountAdapter):
    """allauth as it comes, but for how a password is saved, failed sign-ins counted per
    address and client and per address alone, and mail capped per inbox."""

    def set_password(self, user, password):
        """Only the password is written: the reader's row may come from the cache
        (accounts/backends.py), and saving all of it could undo a change made meanwhile."""
        user.set_password(password)
        user.save(update_fields=["password"])

    def get_client_ip(self, request):
        """The one client address (newsroom/client.py), for every allauth rate limit (which
        counts an IPv6 client by its /64 itself, ALLAUTH_RATE_LIMIT_IPV6_PREFIX)."""
        return client_address(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The key of `login_failed`'s per-key limit: the address and the client together.

        Keyed by the address alone (allauth's way), five wrong passwords typed by anyone
        would keep the address's owner out; this way they keep out only whoever typed them.
        Guessing one address from many clients meets the per-client limit of each, and then
        the address's own, higher one (`pre_authenticate`).
        """
        address_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{address_key}:{client_key(request)}"

    def pre_authenticate(self, request, **credentials):
        """Every password try that the per-client limits let through also counts against
        its address, from whatever client, until it turns out right
        (`_rollback_login_failed_rl_usage`): past ACCOUNTS_LOGIN_FAILED_PER_ADDRESS wrong
        ones in the window, the address signs in by emailed code or a reset only, which
        starts its count again. One client alone stays under it (5 in five minutes is 60 an
        hour); a browser that signed in as the address before is not held to it
        (accounts/known_devices.py), so guessers cannot lock the owner out of their own
        devices. A limited sign-in gets the 429 page (templates/429.html), which says so,
        rather than a form error."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from error
            raise
        self._address_limit = None
        if device_known(request, _login(credentials)):
            return
        self._address_limit = _address_limit_name(credentials)
        limit, window = settings.ACCOUNTS_LOGIN_FAILED_PER_ADDRESS
        if not ratelimit.hit(name=self._address_limit, limit=limit, window=window):
            super()._rollback_login_failed_rl_usage()
            raise ImmediateHttpResponse(respond_429(request))

    def _rollback_login_failed_rl_usage(self):
        super()._rollback_login_failed_rl_usage()
        if getattr(self, "_address_limit", None):
            ratelimit.unhit(
                name=self._address_limit, window=settings.ACCOUNTS_LOGIN_FAILED_PER_ADDRESS[1]
            )

    def post_login(self, request, user, **kwargs):
        """Signed in, by password or emailed code: this browser is now one of the owner's."""
        response = super().post_login(request, user, **kwargs)
        device_remember(request, response, user)
        return response

    def _delete_login_attempts_cached_email(self, request, **credentials):
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.forget(
            name=_address_limit_name(credentials),
            window=settings.ACCOUNTS_LOGIN_FAILED_PER_ADDRESS[1],
        )

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
