"""The live story's new-updates answer under load: wrk at 32 connections asks what is new
since the version the readers' pages have, while an editor posts an update every 10 s.

The readers are anonymous readers of the benchmark's data set who have read the live story
(so each poll makes the meter's look-up and gets the full answer). The editor works in a
process of its own (`--post`), through the live desk's service. Reported: req/s, p50/p99, the
updates posted, and the entries written to the page cache during the run: every page render
stores one, so when they are a handful against tens of thousands of polls (the answers built
once per worker after each update), no poll rendered a page.

bench/run.py calls `live_measure` while its server is up (`make bench`); `python -m
bench.live` measures only this, on a smoke-sized data set of its own, in a place of its own
(PostgreSQL newsroom_bench_live, Redis db 8, var/bench-live), so that it can run beside
`make bench`.
"""

import argparse
import json
import os
import re
import sys
import time
import urllib.request
from pathlib import Path

from bench.server import ROOT, Place, helper_at_work

POST_EVERY = 10.0
TARGET_P99_MS = 50
READERS = 200
PLACE = Place("newsroom_bench_live", "redis://127.0.0.1:6379/8", ROOT / "var" / "bench-live")
STORY = json.loads((ROOT / "articles" / "demo" / "live.json").read_text())["story"]
POLL = re.compile(r'data-live-updates-url="([^"]+)" data-live-version="(\d+)"')


def _get(url: str, cookie: str) -> tuple[str, str]:
    """The page, and the reader's cookies after it (those sent, with those it set)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            jar[name] = value
        body = response.read().decode()
    return body, "; ".join(f"{name}={value}" for name, value in jar.items())


def _readers_of_the_story(url: str, cookies: Path, out: Path) -> str:
    """Readers who have read the live story (each counted once by the meter), and the
    address their open pages poll."""
    readers, poll = [], None
    for cookie in cookies.read_text().split("\n")[:READERS]:
        page, cookie = _get(url, cookie)
        poll = poll or POLL.search(page)
        readers.append(cookie)
    if poll is None:
        sys.exit("the live story's page has no poll address: was seed_demo's live story made?")
    out.write_text("\n".join(readers) + "\n")
    return f"{poll.group(1)}?since={poll.group(2)}"


def _files_written(folder: Path, since: float) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file() and path.stat().st_mtime >= since)


def live_measure(server, env, work: Path, *, wrk, seconds: int, connections: int) -> dict:
    """Polls of the live story at `connections` for `seconds` while updates are posted; `wrk`
    is bench/run.py's runner."""
    cookies = work / "live_cookies.txt"
    path = _readers_of_the_story(
        f"{server.url}/articles/{STORY}/", work / "anonymous_cookies.txt", cookies
    )
    paths = work / "live_paths.txt"
    paths.write_text(path + "\n")
    wrk(server, paths=paths, cookies=cookies, seconds=2, connections=connections)  # warm-up
    editor = [sys.executable, "-m", "bench.live", "--post", "--seconds", str(seconds)]
    started = time.time()
    with helper_at_work(editor, env, seconds=seconds) as done:
        figures = wrk(
            server, paths=paths, cookies=cookies, seconds=seconds, connections=connections
        )
    written = _files_written(Path(env["CACHE_DIR"]), started)
    result = {**figures, "updates_posted": done["updates"], "page_cache_entries_written": written}
    print(
        f"live_new_updates     {figures['rps']:>8.1f} req/s   p50 {figures['p50_ms']:>7.2f} ms"
        f"   p99 {figures['p99_ms']:>7.2f} ms   non-2xx {figures['non_2xx']}   "
        f"({done['updates']} updates posted, one every {POST_EVERY:.0f} s; "
        f"{written} page-cache entries written for {figures['requests']} polls; "
        f"p99 target < {TARGET_P99_MS} ms)",
        flush=True,
    )
    return result


def _post(seconds: float) -> None:
    """The editor: an update every POST_EVERY seconds, through the live desk's service."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from articles.live_services import live_update_post
    from articles.models import LiveCoverage, LiveUpdate
    from newsroom.roles import EDITORS

    editor = get_user_model().objects.filter(groups__name=EDITORS).first()
    coverage = LiveCoverage.objects.get(article__slug=STORY)
    print("ready", flush=True)
    posted, started = 0, time.monotonic()
    while time.monotonic() < started + seconds:
        update = LiveUpdate(
            headline=f"Update at {time.strftime('%H:%M:%S')}",
            body="<p>The desk posts an update as the story moves on.</p>",
        )
        live_update_post(coverage=coverage, by=editor, update=update)
        posted += 1
        time.sleep(max(0.0, started + posted * POST_EVERY - time.monotonic()))
    print(json.dumps({"updates": posted}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--post", action="store_true", help="be the editor (run by the bench)")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    options = parser.parse_args()
    if options.post:
        _post(options.seconds)
        return
    from bench import run
    from bench.server import Server

    env = run.environment(PLACE)
    smoke = argparse.Namespace(**{**run.SMOKE, **{"readers": READERS}})
    run.build_data_set(smoke, env, PLACE)
    with Server(env=env, workers=options.workers, log=PLACE.work / "gunicorn.log") as server:
        result = live_measure(
            server,
            env,
            PLACE.work,
            wrk=run.wrk,
            seconds=options.seconds,
            connections=options.connections,
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
