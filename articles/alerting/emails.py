"""Rendering emails from the `<prefix>_subject.txt`, `_message.txt`, `_message.html` trio."""

from email.utils import formataddr, parseaddr
from typing import NamedTuple

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


class RenderedEmail(NamedTuple):
    subject: str
    text: str
    html: str

    def message(self, *, to: str, headers: dict | None = None) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject, body=self.text, from_email=sender(), to=[to], headers=headers
        )
        message.attach_alternative(self.html, "text/html")
        return message


class EmailTemplates:
    """The three templates of one email: subject, plain text and HTML."""

    def __init__(self, prefix: str):
        self.subject = get_template(f"{prefix}_subject.txt")
        self.text = get_template(f"{prefix}_message.txt")
        self.html = get_template(f"{prefix}_message.html")

    def render(self, context: dict) -> RenderedEmail:
        return RenderedEmail(
            subject=" ".join(self.subject.render(context).split()),
            text=self.text.render(context),
            html=self.html.render(context),
        )
