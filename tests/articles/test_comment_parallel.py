"""One reader posting many comments at once gets exactly as many as the rate limit allows.

Threads through the whole Django stack, each with its own database connection, on whichever
database the suite runs (PostgreSQL in CI, where a count and an insert of two requests can
otherwise interleave).
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles import comments
from articles.models import Comment
from tests.paywall.test_parallel import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)
PARALLEL = 12


def test_parallel_posts_by_one_reader_give_exactly_the_limit(published_article, verified_reader):
    assert comments.RATE_MAX < PARALLEL
    url = reverse("articles:comment_post", args=[published_article.pk])

    def post(body):
        client = Client()
        client.force_login(verified_reader)
        return client.post(url, {"body": body}).status_code

    statuses = run_at_once(post, [f"Comment {n}" for n in range(PARALLEL)])
    assert statuses == [302] * PARALLEL
    assert Comment.objects.filter(user=verified_reader).count() == comments.RATE_MAX
