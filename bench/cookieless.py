"""`python -m bench.cookieless`: what cookieless article views leave in the meter's store.

A client that never sends the reader cookie back (a bot, a browser refusing cookies) is a
new reader on every view. This builds the demo data set in a temporary SQLite database,
sends N such views of the metered articles in-process, each through the whole Django stack,
and prints the meter rows (database meter) or meter keys (Redis meter, with --redis-url; the
keys of that Redis database under the "paywall" namespace are counted) they added, the
database writes they made and how long they took.
"""

import argparse
import io
import os
import secrets
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--redis-url", default="", help="meter in this Redis database")
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="newsroom-cookieless-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="false",
        SECURE="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{work}/db.sqlite3",
        REDIS_URL=options.redis_url,
        CELERY_BROKER_URL="memory://",
        MEDIA_ROOT=f"{work}/media",
        CACHE_DIR=f"{work}/cache",
        STATIC_ROOT=f"{work}/static",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from paywall.meters import meter_load
    from paywall.models import FunnelDay, Meter, MeterRead

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    paths = [a.get_absolute_url() for a in Article.objects.published().filter(is_free=False)[:20]]
    meter = meter_load()

    def stored() -> dict[str, int]:
        if options.redis_url:
            return {"meter keys": sum(1 for _ in meter.client.scan_iter("paywall:meter:*"))}
        return {"meter rows": Meter.objects.count(), "read rows": MeterRead.objects.count()}

    before = stored()
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        for n in range(options.requests):
            assert Client().get(paths[n % len(paths)]).status_code == 200
    seconds = time.monotonic() - started
    writes = sum(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for q in queries.captured_queries
    )
    added = {name: count - before[name] for name, count in stored().items()}
    print(
        f"{options.requests} cookieless views of {len(paths)} metered articles "
        f"({type(meter).__name__}) in {seconds:.2f} s: "
        + ", ".join(f"{name} +{count}" for name, count in added.items())
        + f", database writes {writes}, funnel rows {FunnelDay.objects.count()}"
    )


if __name__ == "__main__":
    main()
