"""Rendering emails from the `<prefix>_subject.txt`, `_message.txt`, `_message.html` trio."""

from email.utils import formataddr, parseaddr
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template


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
