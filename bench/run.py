"""`make bench`: the site under production settings, measured with wrk against the floor.

Builds a data set in its own PostgreSQL database (newsroom_bench on 127.0.0.1:5432) and Redis
database (9) through `seed_demo` and the meter's interface, serves it with gunicorn (DEBUG
off), and measures four pages with wrk: an anonymous reader's metered article (rotating
meter cookies, so every view runs the meter), a registered reader's article, the home page,
and the floor: the article page's bytes from memory (bench/floor.py). Also the metered floor,
the floor after the anonymous page's cookie check and meter call: the most a page that meters
every view can reach; and the anonymous article a second time while the newsroom works
(bench/busy.py: an edit every 5 s, a comment every 2 s), quiet and busy rounds in turn.
Prints each figure, the ratios to the floor and the workers' memory; the last line is one
JSON object.
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis

from bench import live
from bench.server import ROOT, Place, Server, helper_at_work, production_environment

PLACE = Place("newsroom_bench", "redis://127.0.0.1:6379/9", ROOT / "var" / "bench")
DATABASE, REDIS_URL, WORK = PLACE
TARGET_RATIO = 0.7
# The summary's pages, in the order the issue lists them.
REPORTED = ("article_anon", "article_registered", "home", "floor")
TARGET_P99_MS = 100
TARGET_RSS_MB = 100
# The anonymous article while the newsroom works, against the quiet one next to it.
BUSY = "article_anon_busy"
TARGET_BUSY_RATIO = 0.9
# --smoke: every step of the benchmark, on a data set and for times too small to measure.
SMOKE = {
    "articles": 40,
    "sections": 3,
    "readers": 200,
    "seconds": 2,
    "rounds": 1,
    "warmup": 1,
    "load_seconds": 0,
    "live_seconds": 3,
}


def environment(place: Place = PLACE) -> dict[str, str]:
    return production_environment(
        database=place.database,
        redis_url=place.redis_url,
        MEDIA_ROOT=str(place.work / "media"),
        CACHE_DIR=str(place.work / "cache"),
        BENCH_FLOOR_FILE=str(place.work / "floor.html"),
    )


def step(title: str, args: list[str], env: dict[str, str]) -> None:
    started = time.monotonic()
    print(f"-- {title}", flush=True)
    subprocess.run(args, cwd=ROOT, env=env, check=True)
    print(f"   done in {time.monotonic() - started:.1f} s", flush=True)


def build_data_set(options, env: dict[str, str], place: Place = PLACE) -> None:
    """A fresh database and Redis db every run, so that every run measures the same thing."""
    shutil.rmtree(place.work, ignore_errors=True)
    place.work.mkdir(parents=True)
    host = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *host, "--if-exists", "--force", place.database], check=True)
    subprocess.run(["createdb", *host, place.database], check=True)
    redis.Redis.from_url(place.redis_url).flushdb()
    python = [sys.executable, "manage.py"]
    step("migrate", [*python, "migrate", "--noinput", "--verbosity", "0"], env)
    step("collectstatic", [*python, "collectstatic", "--noinput", "--verbosity", "0"], env)
    step(
        f"seed_demo --articles {options.articles} --sections {options.sections}",
        [
            *python,
            "seed_demo",
            "--articles",
            str(options.articles),
            "--sections",
            str(options.sections),
        ],
        env,
    )
    step(
        f"meter fill for {options.readers} readers, registered sessions",
        [
            sys.executable,
            "-m",
            "bench.prepare",
            "--out",
            str(place.work),
            "--readers",
            str(options.readers),
        ],
        env,
    )


def save_floor_page(server: Server) -> None:
    """The floor serves exactly the bytes a new anonymous reader gets for an article."""
    path = (WORK / "article_paths.txt").read_text().split()[0]
    with urllib.request.urlopen(server.url + path, timeout=10) as response:
        (WORK / "floor.html").write_bytes(response.read())


def warm_pages(server: Server, paths: Path, cookies: Path | None) -> None:
    """Each page is rendered once before it is measured, as on a site that is already up:
    the measured runs then see the steady state, pages served from the page cache. Anonymous
    and registered readers each have their own stored page, so each scenario warms its own."""
    cookie = cookies.read_text().split("\n", 1)[0] if cookies else ""
    urls = [server.url + path for path in paths.read_text().split()]

    def fetch(url: str) -> None:
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(fetch, urls))


def wrk(server: Server, *, paths: Path, cookies: Path | None, seconds: int, connections: int):
    env = {**os.environ, "BENCH_PATHS": str(paths), "BENCH_COOKIES": str(cookies or "")}
    args = [
        "wrk",
        f"--threads={min(connections, 2)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        f"--script={ROOT / 'bench' / 'wrk.lua'}",
        server.url,
    ]
    output = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT "))
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "non_2xx": raw["non_2xx"] + raw["socket_errors"],
        "requests": raw["requests"],
    }


def combined(runs: list[dict]) -> dict:
    """One page's rounds: the mean rate, the median p50 and p99 (wrk cannot merge its
    histograms; every round's is printed too), every error."""
    return {
        "rps": round(statistics.mean(run["rps"] for run in runs), 1),
        "p50_ms": round(statistics.median(run["p50_ms"] for run in runs), 2),
        "p99_ms": round(statistics.median(run["p99_ms"] for run in runs), 2),
        "non_2xx": sum(run["non_2xx"] for run in runs),
    }


def meter_views_counted() -> int:
    """Article views the meter counted in Redis (its funnel counters ride in the same call)."""
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    return sum(
        int(value)
        for key in client.scan_iter("paywall:funnel:*")
        for field, value in client.hgetall(key).items()
        if field.endswith(":views")
    )


@contextlib.contextmanager
def newsroom_at_work(env: dict[str, str], *, seconds: int, done: dict[str, int]):
    """bench/busy.py editing and commenting for `seconds` from the start of the block, in a
    process of its own (its own database connection); what it did is added to `done`."""
    args = [
        *(sys.executable, "-m", "bench.busy", "--paths", str(WORK / "article_paths.txt")),
        *("--seconds", str(seconds)),
        *("--edits-before", str(done["edits"]), "--comments-before", str(done["comments"])),
    ]
    with helper_at_work(args, env, seconds=seconds) as did:
        yield
    for key, count in did.items():
        done[key] += count


def load_test(seconds: int) -> None:
    """The suite's load test at full length: mixed traffic, no 5xx, exact meter counts."""
    print(f"-- load test: 64 connections for {seconds} s (tests/integration/test_load.py)")
    env = {**os.environ, "LOAD_TEST_SECONDS": str(seconds)}
    args = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:randomly"]
    result = subprocess.run([*args, "tests/integration/test_load.py"], cwd=ROOT, env=env)
    print(f"   load test {'passed' if result.returncode == 0 else 'FAILED'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--sections", type=int, default=50)
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=21, help="measured per page, in all")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="the pages take turns this many times, so that a ratio compares runs a few "
        "seconds apart on a machine whose speed drifts",
    )
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--load-seconds", type=int, default=60, help="the load test's length; 0 skips it"
    )
    parser.add_argument("--live-seconds", type=int, default=30, help="the live story's polls")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a run of a few seconds on a small data set, to show the benchmark works (CI)",
    )
    options = parser.parse_args()
    if options.smoke:
        vars(options).update(SMOKE)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does it when run as root)")

    env = environment()
    build_data_set(options, env)
    (WORK / "home_paths.txt").write_text("/\n")
    (WORK / "floor_paths.txt").write_text("/bench/floor/\n")
    # The floor next to the pages compared with it. The metered floor is the floor after the
    # anonymous page's cookie check and meter call, for the same readers and articles.
    scenarios = {
        "article_anon": ("article_paths.txt", "anonymous_cookies.txt"),
        BUSY: ("article_paths.txt", "anonymous_cookies.txt"),
        "floor": ("floor_paths.txt", None),
        "floor_metered": ("floor_metered_paths.txt", "anonymous_cookies.txt"),
        "home": ("home_paths.txt", None),
        "article_registered": ("article_paths.txt", "registered_cookies.txt"),
    }
    results = {}
    with Server(env=env, workers=options.workers, log=WORK / "gunicorn.log") as server:
        save_floor_page(server)
        print(
            f"-- wrk: {options.connections} connections, {options.seconds} s per page in "
            f"{options.rounds} rounds taken in turn (after {options.warmup} s warm-up), "
            f"gunicorn {options.workers} workers, {server.url}"
        )
        started = time.monotonic()
        quiet = {name: files for name, files in scenarios.items() if name != BUSY}
        for paths, cookies in quiet.values():  # the busy rounds' pages are the quiet ones'
            warm_pages(server, WORK / paths, WORK / cookies if cookies else None)
        print(f"-- every page rendered once, in {time.monotonic() - started:.1f} s", flush=True)
        for paths, cookies in quiet.values():
            files = {"paths": WORK / paths, "cookies": WORK / cookies if cookies else None}
            wrk(server, **files, seconds=options.warmup, connections=options.connections)
        runs = {name: [] for name in scenarios}
        counted = 0  # the meter's views during the anonymous runs
        done = {"edits": 0, "comments": 0}  # by the newsroom during the busy rounds
        seconds = max(1, options.seconds // options.rounds)
        for _ in range(options.rounds):
            for name, (paths, cookies) in scenarios.items():
                files = {"paths": WORK / paths, "cookies": WORK / cookies if cookies else None}
                before = meter_views_counted()
                working = (
                    newsroom_at_work(env, seconds=seconds, done=done)
                    if name == BUSY
                    else contextlib.nullcontext()
                )
                with working:
                    runs[name].append(
                        wrk(server, **files, seconds=seconds, connections=options.connections)
                    )
                if name in ("article_anon", BUSY):
                    counted += meter_views_counted() - before
        for name, figures in runs.items():
            results[name] = combined(figures)
            rounds = ", ".join(f"{r['rps']:.0f} req/s p99 {r['p99_ms']:.0f} ms" for r in figures)
            print(
                f"{name:<20} {results[name]['rps']:>8.1f} req/s   p50 "
                f"{results[name]['p50_ms']:>7.2f} ms   p99 {results[name]['p99_ms']:>7.2f} ms"
                f"   non-2xx {results[name]['non_2xx']}   (rounds: {rounds})",
                flush=True,
            )
        rss, pss = server.worker_rss_mb(), server.worker_pss_mb()
        results["live_new_updates"] = live.live_measure(
            server,
            env,
            WORK,
            wrk=wrk,
            seconds=options.live_seconds,
            connections=options.connections,
        )

    def ratio(name: str, floor: str = "floor") -> float:
        """The median over the rounds of the page against the floor measured next to it."""
        pairs = zip(runs[name], runs[floor], strict=True)
        ratios = [page["rps"] / base["rps"] if base["rps"] else 0.0 for page, base in pairs]
        return round(statistics.median(ratios), 3)

    summary = {
        **{name: results[name] for name in REPORTED},
        "ratio_article_anon": ratio("article_anon"),
        "ratio_home": ratio("home"),
        "worker_rss_mb": round(max(rss), 1),
        BUSY: results[BUSY],
        "ratio_busy_quiet": ratio(BUSY, "article_anon"),
        **done,
        "live_new_updates": results["live_new_updates"],
    }
    answered = sum(run["requests"] for name in ("article_anon", BUSY) for run in runs[name])
    print(
        f"meter: {counted} article views counted in Redis during the anonymous "
        f"runs; wrk saw {answered} answered (the rest were in flight when a run stopped)"
    )
    print(
        f"ratio article_anon/floor {summary['ratio_article_anon']:.3f}   "
        f"home/floor {summary['ratio_home']:.3f}   (target >= {TARGET_RATIO})"
    )
    print(
        f"ratio floor_metered/floor {ratio('floor_metered'):.3f}: the ceiling for a page that "
        "checks the reader's cookie and makes the meter's call on every view; "
        f"article_anon/floor_metered {ratio('article_anon', 'floor_metered'):.3f}"
    )
    print(
        f"worker RSS after the run: max {max(rss):.1f} MB "
        f"({', '.join(f'{size:.1f}' for size in rss)}; target < {TARGET_RSS_MB} MB); "
        f"proportional share (PSS) max {max(pss):.1f} MB"
    )
    print(
        f"newsroom at work: {done['edits']} edits and {done['comments']} comments during the "
        f"busy rounds; ratio busy/quiet {summary['ratio_busy_quiet']:.3f} "
        f"(target >= {TARGET_BUSY_RATIO}), busy p99 {results[BUSY]['p99_ms']:.0f} ms"
    )
    print(f"p99 target at {options.connections} connections: < {TARGET_P99_MS} ms")
    if options.load_seconds:
        load_test(options.load_seconds)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
