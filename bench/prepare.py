"""The benchmark's readers: a meter fill for anonymous readers, sessions for registered ones.

Run by bench/run.py after `seed_demo`, with the benchmark's environment. Writes, one per
line: the metered article paths, the metered floor's paths for the same articles, and each
reader's cookies as their browser holds them after the reads they already made this month.
wrk sends the same cookies again and again and never stores what a response sets, so
cookies that lacked what a browser keeps would make every view pay for setting it again.
- Anonymous readers: 0 to 5 reads, put there through the meter's own interface as the site
  does: the first carried in the cookie, stored along with the second; the donation appeal
  came with the first of them, so the cookie says when. A reader with none is new:
  each of their views shows the appeal and sets the cookie, as a new reader's first does.
- Registered readers: the session, and the cookies their first article page set (the CSRF
  token's, and the reader cookie with the appeal shown).
"""

import argparse
import os
import random
import time
from pathlib import Path

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--registered", type=int, default=50)
    parser.add_argument("--articles", type=int, default=1_000, help="metered paths to rotate")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()

    from django.contrib.auth import get_user_model
    from django.http import HttpResponse
    from django.test import Client
    from django.utils import timezone

    from articles.models import Article
    from paywall.conf import app_settings
    from paywall.identity import Reader, reader_dump
    from paywall.meters import meter_load
    from paywall.meters.base import period_for
    from paywall.selectors import paywall_settings

    rng = random.Random(7)
    options.out.mkdir(parents=True, exist_ok=True)
    metered = list(
        Article.objects.published()
        .filter(is_free=False)
        .order_by("-publish_at")
        .values_list("pk", "slug")[: options.articles]
    )
    (options.out / "article_paths.txt").write_text(
        "".join(f"/articles/{slug}/\n" for _, slug in metered)
    )
    (options.out / "floor_metered_paths.txt").write_text(
        "".join(f"/bench/floor/metered/{pk}/\n" for pk, _ in metered)
    )

    meter, rules, period = meter_load(), paywall_settings(), period_for(timezone.now())
    cookies = []
    carried_only = 0  # readers with one read, kept in their cookie and not in the meter
    for _ in range(options.readers):
        reader = Reader()
        # Some reads already this month, below the wall, so that most benchmark views count.
        reads = rng.sample(metered, rng.randint(0, rules.wall_after // 2))
        if reads:
            reader.appeal_at = int(time.time())
            # The first read rides in the cookie; the meter stores it with the second.
            reader.first, reader.first_period = reads[0][0], period.key
            carried_only += len(reads) == 1
        for article_id, _slug in reads[1:]:
            meter.read(
                reader=reader.id,
                article_id=article_id,
                period=period,
                limit=rules.wall_after,
                nudge_from=rules.nudge_from,
                carried=reader.first,
            )
        response = HttpResponse()
        reader_dump(response, reader)
        cookies.append(
            f"{app_settings.COOKIE_NAME}={response.cookies[app_settings.COOKIE_NAME].value}"
        )
    (options.out / "anonymous_cookies.txt").write_text("\n".join(cookies) + "\n")

    sessions = []
    user_model = get_user_model()
    for n in range(options.registered):
        user, _ = user_model.objects.get_or_create(
            username=f"bench-reader-{n}", defaults={"email": f"bench-reader-{n}@example.org"}
        )
        client = Client()
        client.force_login(user)
        page = client.get(f"/articles/{metered[n % len(metered)][1]}/")
        assert page.status_code == 200, page.status_code
        sessions.append("; ".join(f"{name}={c.value}" for name, c in client.cookies.items()))
    (options.out / "registered_cookies.txt").write_text("\n".join(sessions) + "\n")
    print(
        f"Prepared {len(metered)} metered paths, {len(cookies)} anonymous readers with "
        f"meter data ({type(meter).__name__}; {carried_only} of them with their one read in "
        f"the cookie only), {len(sessions)} registered sessions."
    )


if __name__ == "__main__":
    main()
