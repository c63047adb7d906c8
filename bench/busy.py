"""A newsroom at work, for bench/run.py's busy rounds: an editor saving a published story
every 5 s through the admin's save service (a different story of those in rotation each
time, with a real change to its text), and verified readers posting a comment every 2 s
through the comment service, each reader well within the comment rate limit.

Run with the benchmark's environment, in its own process (its own database connection). It
prints "ready" once set up, works for --seconds, then prints one JSON line with what it did.
"""

import argparse
import itertools
import json
import os
import random
import re
import time
from pathlib import Path

import django

EDIT_EVERY = 5.0
COMMENT_EVERY = 2.0
# Each reader posts once per COMMENTERS * COMMENT_EVERY seconds: 3.75 times in the rate
# limit's 10 minutes, under its 5.
COMMENTERS = 80
UPDATE = re.compile(r"<p>Updated at [0-9:.]+ by the desk\.</p>$")


def _commenters():
    """The pool of verified readers, made once per data set."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    users = []
    for n in range(COMMENTERS):
        email = f"bench-commenter-{n}@example.org"
        user, created = get_user_model().objects.get_or_create(
            username=f"bench-commenter-{n}", defaults={"email": email}
        )
        if created:
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        users.append(user)
    return users


def _turns(items: list, start: int):
    """The items in turn, forever, from the one after the first `start`."""
    start %= len(items)
    return itertools.cycle(items[start:] + items[:start])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=Path, required=True, help="the articles in rotation")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--edits-before", type=int, default=0, help="made in earlier rounds")
    parser.add_argument("--comments-before", type=int, default=0, help="made in earlier rounds")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()

    from django.contrib.auth import get_user_model

    from articles.comments import comment_create
    from articles.models import Article
    from articles.services import article_save
    from newsroom.roles import EDITORS

    slugs = [path.strip("/").split("/")[-1] for path in options.paths.read_text().split()]
    random.Random(7).shuffle(slugs)
    editor = get_user_model().objects.filter(groups__name=EDITORS).first()
    # Each round goes on where the last stopped, so that no reader posts too often.
    readers = _turns(_commenters(), options.comments_before)
    to_edit = _turns(slugs, options.edits_before)
    to_comment = _turns(slugs[::-1], options.comments_before)
    print("ready", flush=True)

    done = {"edits": 0, "comments": 0}
    started = time.monotonic()
    next_edit = next_comment = started
    while (now := time.monotonic()) < started + options.seconds:
        if now >= next_edit:
            article = Article.objects.get(slug=next(to_edit))
            update = f"<p>Updated at {time.strftime('%H:%M:%S')} by the desk.</p>"
            article.body = UPDATE.sub("", article.body) + update
            article_save(article=article, by=editor)
            done["edits"] += 1
            next_edit += EDIT_EVERY
        if now >= next_comment:
            article = Article.objects.get(slug=next(to_comment))
            comment_create(article=article, user=next(readers), body="Thanks for the update.")
            done["comments"] += 1
            next_comment += COMMENT_EVERY
        time.sleep(max(0.0, min(next_edit, next_comment) - time.monotonic()))
    print(json.dumps(done), flush=True)


if __name__ == "__main__":
    main()
