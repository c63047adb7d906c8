"""The alert's own email: rendered once per alert, with each subscriber's unsubscribe link."""

import secrets

from django.utils.html import escape

from alerts.subscriptions import unsubscribe_url
from newsroom.emails import EmailTemplates, RenderedEmail
from newsroom.links import absolute_url


class AlertEmail:
    """The alert's message for each subscriber: same article, own unsubscribe link.

    The templates are rendered once; only the link differs from one recipient to the next.
    """

    def __init__(self, article):
        self.marker = f"unsubscribe-link-{secrets.token_hex(8)}"
        lead = article.lead_image
        self.rendered = EmailTemplates("alerts/email/alert").render(
            {
                "article": article,
                "article_url": absolute_url(article.get_absolute_url()),
                "lead_image_url": lead and absolute_url(lead.file.url),
                "unsubscribe_url": self.marker,
            }
        )

    def message(self, *, subscriber_id: int, email: str):
        link = unsubscribe_url(subscriber_id)
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        subject, text, html = self.rendered
        return RenderedEmail(
            subject, text.replace(self.marker, link), html.replace(self.marker, escape(link))
        ).message(to=email, headers=headers)
