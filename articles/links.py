"""Share links for an article's page."""

from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """(label, address) pairs: plain links that need no script and no third-party widget."""
    return [
        (_("Email"), f"mailto:?{urlencode({'subject': title, 'body': url}, quote_via=quote)}"),
        (_("Bluesky"), f"https://bsky.app/intent/compose?{urlencode({'text': f'{title} {url}'})}"),
        (_("Facebook"), f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': url})}"),
        (
            _("LinkedIn"),
            f"https://www.linkedin.com/sharing/share-offsite/?{urlencode({'url': url})}",
        ),
        (_("X"), f"https://x.com/intent/post?{urlencode({'url': url, 'text': title})}"),
    ]
