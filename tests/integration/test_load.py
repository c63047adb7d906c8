"""Mixed traffic on 64 connections for LOAD_TEST_SECONDS (10 s here, 60 s in `make bench`):
no 5xx, every response is what the paywall rules say, and afterwards the meter in Redis holds
exactly the reads the requests implied."""

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.utils import timezone

from paywall.identity import SALT
from paywall.meters.base import period_for
from paywall.meters.redis import RedisMeter
from tests.integration.conftest import CRAWLER_AGENT, SECRET_KEY

CONNECTIONS = 64
WALL_AFTER, NUDGE_FROM = 10, 3  # PaywallSettings' defaults: the served database has no row.
READER_COOKIE = "reader"


@dataclass
class Reader:
    """An anonymous reader as the meter should see it: the model the server is checked against."""

    cookies: dict[str, str] = field(default_factory=dict)
    counted: list[int] = field(default_factory=list)
    carried: int = 0  # the first article, in the cookie only until the reader comes back

    @property
    def id(self) -> str:
        return signing.loads(self.cookies[READER_COOKIE], key=SECRET_KEY, salt=SALT)["id"]

    def expect(self, article_id: int) -> tuple[bool, str | None]:
        """(served in full, funnel event) for a metered article, updating the model."""
        if article_id in self.counted:
            return True, "nudges" if len(self.counted) >= NUDGE_FROM else None
        if len(self.counted) < WALL_AFTER:
            self.counted.append(article_id)
            return True, "nudges" if len(self.counted) >= NUDGE_FROM else None
        return False, "walls"


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    funnel: Counter = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    readers: list[Reader] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def walled(body: str) -> bool:
    return 'data-paywall="wall"' in body


def history(site, reader: Reader, rng: random.Random, tally: Tally) -> None:
    """Reads earlier this month: the first served over HTTP (which issues the reader's cookie),
    the rest through the meter's own interface, up to the wall."""
    meter, period = RedisMeter(site.redis.url), period_for(timezone.now())
    first, *earlier = rng.sample([a for a in site.articles if not a["free"]], WALL_AFTER)
    reader.cookies.update(site.get(first["path"]).cookies)
    for article in [first, *earlier]:
        if article is not first:
            meter.read(
                reader=reader.id,
                article_id=article["id"],
                period=period,
                limit=WALL_AFTER,
                nudge_from=NUDGE_FROM,
                carried=first["id"],  # as the site does for the cookie the first read set
            )
        _full, event = reader.expect(article["id"])
        with tally.lock:
            tally.funnel["views"] += 1
            if event:
                tally.funnel[event] += 1


def connection_loop(site, role: str, index: int, deadline: float, tally: Tally) -> None:
    rng = random.Random(index)
    # Each anonymous connection has its own reader, so a reader's requests never overlap and
    # the model above stays exact; one reader per connection reaches the wall in a short run.
    reader = Reader()
    if role == "anonymous" and index % 2:
        history(site, reader, rng, tally)
    agent = CRAWLER_AGENT if role in ("crawler", "impostor") else None
    source = "127.0.0.2" if role == "impostor" else "127.0.0.1"
    while time.monotonic() < deadline:
        article = rng.choice(site.articles)
        if role == "registered":
            cookies = {site.session_cookie: rng.choice(site.sessions)}
        elif role == "crawler":
            cookies = {}
        else:
            cookies = reader.cookies
        extra = {"agent": agent} if agent else {}
        returning = bool(cookies)
        reply = site.get(article["path"], cookies=cookies, source=source, **extra)
        metered = role in ("anonymous", "impostor") and not article["free"]
        with tally.lock:
            tally.statuses[reply.status] += 1
            if reply.status != 200:
                continue
            if role in ("anonymous", "impostor"):
                reader.cookies.update(reply.cookies)
            if metered:
                reader.carried = 0 if returning else article["id"]
                full, event = reader.expect(article["id"])
                tally.funnel["views"] += 1
                if event:
                    tally.funnel[event] += 1
            else:
                full = True
            if walled(reply.body) == full:
                tally.wrong.append(f"{role} {article['path']}: expected full={full}")
    if role in ("anonymous", "impostor") and reader.cookies:
        with tally.lock:
            tally.readers.append(reader)


def test_mixed_load_serves_no_5xx_and_leaves_exact_meter_counts(site):
    client = site.redis.client()
    client.flushdb()
    roles = ["anonymous"] * 6 + ["registered"] * 2 + ["crawler", "impostor"]
    tally = Tally()
    period = period_for(timezone.now())
    deadline = time.monotonic() + settings.LOAD_TEST_SECONDS

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        futures = [
            pool.submit(connection_loop, site, roles[i % 10], i, deadline, tally)
            for i in range(CONNECTIONS)
        ]
        for future in futures:
            future.result()

    assert period_for(timezone.now()).key == period.key, "the month changed during the run"
    assert set(tally.statuses) == {200}, tally.statuses
    assert sum(tally.statuses.values()) > CONNECTIONS
    print(f"{sum(tally.statuses.values())} requests, funnel {dict(tally.funnel)}")
    assert tally.wrong == []
    stored = {
        key.split(":")[2]: {int(member) for member in client.smembers(key)}
        for key in client.scan_iter(f"paywall:meter:*:{period.key}")
    }
    expected = {
        reader.id: set(reader.counted) - {reader.carried}
        for reader in tally.readers
        if set(reader.counted) - {reader.carried}
    }
    assert stored == expected
    funnel = Counter()
    for key in client.scan_iter("paywall:funnel:*"):
        for name, value in client.hgetall(key).items():
            funnel[name.split(":")[1]] += int(value)
    assert {name: funnel[name] for name in ("views", "nudges", "walls")} == {
        name: tally.funnel[name] for name in ("views", "nudges", "walls")
    }
    assert funnel["meter_errors"] == 0
    assert tally.funnel["walls"] > 0, "no reader reached the wall: the run was too short"
