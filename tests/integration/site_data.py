"""Builds the served site's content through the product's services; prints it as JSON.

Run by the fixtures in the server's own environment (its database), before gunicorn starts.
"""

import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.integration.server_settings")
    django.setup()

    from django.conf import settings
    from django.test import Client

    from tests import factories

    editor = factories.editor_factory()
    section = factories.SectionFactory(name="World", slug="world")
    articles = [
        factories.article_published(by=editor, section=section, is_free=n % 6 == 0)
        for n in range(24)
    ]
    sessions = []
    for _ in range(8):
        client = Client()
        client.force_login(factories.UserFactory())
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    print(
        json.dumps(
            {
                "articles": [
                    {"id": a.pk, "path": a.get_absolute_url(), "free": a.is_free} for a in articles
                ],
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "sessions": sessions,
            }
        )
    )


if __name__ == "__main__":
    main()
