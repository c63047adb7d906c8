"""Rendering emails from the `<prefix>_subject.txt`, `_message.txt`, `_message.html` trio."""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template


def site_url(path: str) -> str:
    """An absolute address for links in emails, which have no request to build one from."""
    base = settings.SITE_URL
    if not base:
        scheme = "https" if settings.SECURE else "http"
        base = f"{scheme}://{Site.objects.get_current().domain}"
    return base + path


def sender() -> str:
    """The site's name in front of the configured sending address."""
    return formataddr((settings.SITE_NAME, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


class EmailTemplates:
    """The three templates of one email, loaded once and rendered for each recipient."""

    def __init__(self, prefix: str):
        self.subject = get_template(f"{prefix}_subject.txt")
        self.text = get_template(f"{prefix}_message.txt")
        self.html = get_template(f"{prefix}_message.html")

    def message(
        self, *, to: str, context: dict, subject: str | None = None, headers: dict | None = None
    ) -> EmailMultiAlternatives:
        if subject is None:
            subject = self.render_subject(context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=self.text.render(context),
            from_email=sender(),
            to=[to],
            headers=headers,
        )
        message.attach_alternative(self.html.render(context), "text/html")
        return message

    def render_subject(self, context: dict) -> str:
        return " ".join(self.subject.render(context).split())
