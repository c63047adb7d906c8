"""Faults while serving: Redis gone (the meter fails open, nothing breaks, counting resumes
when it is back) and PostgreSQL restarted (only requests in flight fail; the app recovers by
itself). Each uses the served site's own throwaway servers, never the shared ones."""

import itertools
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.utils import timezone

from paywall.meters.base import period_for
from paywall.meters.redis import RedisMeter, meter_key
from tests.integration.test_load import NUDGE_FROM, WALL_AFTER, Reader, walled


class Traffic:
    """Readers requesting pages in the background until stopped; every reply is kept.

    Tests wait for a number of replies, not a length of time: how many requests a loaded
    machine answers in a second varies, what each reply says must not."""

    def __init__(self, site, threads: int = 6):
        self.site = site
        self.threads = threads
        self.replies = []
        self.arrived = threading.Condition()
        self.stopped = threading.Event()
        self.pool = ThreadPoolExecutor(threads)

    def _loop(self, index: int) -> None:
        rng = random.Random(index)
        cookies = {}
        paths = ["/", *(a["path"] for a in self.site.articles)]
        for _ in itertools.count():
            if self.stopped.is_set():
                return
            if index % 3 == 2:
                cookies = {self.site.session_cookie: self.site.sessions[index % 8]}
            reply = self.site.get(rng.choice(paths), cookies=cookies)
            if index % 3 == 0:
                cookies = {**cookies, **reply.cookies}
            with self.arrived:
                self.replies.append(reply)
                self.arrived.notify_all()

    def __enter__(self) -> "Traffic":
        self.futures = [self.pool.submit(self._loop, i) for i in range(self.threads)]
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        for future in self.futures:
            future.result()
        self.pool.shutdown()

    def wait_for(self, count: int, *, after: float | None = None, timeout: float = 60) -> list:
        """The first `count` replies to requests started after `after` (time.monotonic(),
        now by default), once they are in; the timeout only bounds a site that hangs."""
        after = time.monotonic() if after is None else after

        def replies():
            return [reply for reply in self.replies if reply.started > after]

        with self.arrived:
            assert self.arrived.wait_for(lambda: len(replies()) >= count, timeout), (
                f"fewer than {count} replies in {timeout} s"
            )
            return replies()[:count]


def reader_at_the_wall(site) -> tuple[Reader, dict]:
    """A reader with a full month behind them, and an article they have not read."""
    metered = [a for a in site.articles if not a["free"]]
    reader = Reader()
    reader.cookies.update(site.get(metered[0]["path"]).cookies)
    meter, period = RedisMeter(site.redis.url), period_for(timezone.now())
    for article in metered[1:WALL_AFTER]:
        meter.read(
            reader=reader.id,
            article_id=article["id"],
            period=period,
            limit=WALL_AFTER,
            nudge_from=NUDGE_FROM,
        )
    return reader, metered[WALL_AFTER]


def wait_until_healthy(site, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while site.get("/healthz/").status != 200:
        assert time.monotonic() < deadline, "the site did not report healthy again"
        time.sleep(0.2)


def test_redis_outage_serves_every_page_in_full_and_counting_resumes(site):
    reader, unread = reader_at_the_wall(site)
    assert walled(site.get(unread["path"], cookies=reader.cookies).body)

    with Traffic(site) as traffic:
        traffic.wait_for(6)
        site.redis.stop()
        try:
            traffic.wait_for(21)  # all of them while Redis is down
            during = site.get(unread["path"], cookies=reader.cookies)
            health = site.get("/healthz/")
        finally:
            site.redis.start()
        wait_until_healthy(site)
        traffic.wait_for(12)

    assert {reply.status for reply in traffic.replies} == {200}
    # Fail open: the walled reader gets the whole story while the meter cannot be asked.
    assert during.status == 200
    assert not walled(during.body)
    assert 'data-article-body data-access="metered"' in during.body
    assert health.status == 503
    assert '"redis": {"ok": false' in health.body

    # Back again: anonymous views are counted in Redis as before (a new reader's first view
    # rides in the cookie until the reader comes back with it).
    newcomer = site.get(unread["path"])
    site.get(unread["path"], cookies=newcomer.cookies)
    new_id = Reader(cookies=newcomer.cookies).id
    assert site.redis.client().sismember(
        meter_key(new_id, period_for(timezone.now())), unread["id"]
    )


def test_postgres_restart_fails_only_requests_in_flight_and_recovers_without_app_restart(site):
    workers = site.server.worker_pids()

    with Traffic(site) as traffic:
        traffic.wait_for(12)
        restart_began = time.monotonic()
        site.postgres.restart()
        restart_ended = time.monotonic()
        traffic.wait_for(21, after=restart_ended)

    failed = [reply for reply in traffic.replies if reply.status != 200]
    after = [reply for reply in traffic.replies if reply.started > restart_ended]
    assert all(restart_began < r.ended and r.started < restart_ended for r in failed), [
        (r.status, r.started - restart_began, r.ended - restart_began) for r in failed
    ]
    assert len(after) >= 21
    assert {reply.status for reply in after} == {200}
    assert site.server.worker_pids() == workers
    assert site.server.process.poll() is None
