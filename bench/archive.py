"""`make bench-archive`: search, lists, sitemaps, a feed and the admin over a large archive.

Builds the archive with `manage.py load_archive` (PostgreSQL database newsroom_bench_archive,
200,000 stories by default; then SQLite with 20,000), serves it with gunicorn under
production settings (bench/server.py), has its workers serve the home page, a search, a
section and the admin's index for a few seconds (each process's first request of a kind is
not any page's cost), and measures each page: one client in turn (p50 and p99 over
--requests requests, after one warm-up request whose time is printed as "first"), then wrk
at 32 connections for --seconds (req/s). The admin pages are fetched as an editor. Search is
measured for one common word, a rare one, a quoted phrase, a word found nowhere, and 200
different words in turn ("search_varied": each single-client request a word not asked
before). Prints each figure; the last line is one JSON object with a key per page
(PostgreSQL; the SQLite pages under "sqlite").
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import redis

from bench.server import ROOT, Server, production_environment

WORK = ROOT / "var" / "bench-archive"
DATABASE = "newsroom_bench_archive"
RARE_WORD = "quetzalcoatlus"
WARM_SECONDS = 2
# What wrk leaves queued when it stops (up to 32 requests) is served before the next page's
# first request, which would otherwise wait for it.
BACKLOG_SECONDS = 1
STORIES_FILE = ROOT / "articles" / "demo" / "stories.json"
WARM_PAGES = (("/", ""), ("/search/?q=harbour+ferry", ""), ("/section/section-1/", ""))
SMOKE = {"stories": 3000, "sqlite_stories": 1000, "pictures": 1000, "requests": 5, "seconds": 1}
EDITOR_SESSION = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from newsroom.roles import EDITORS
user, _ = get_user_model().objects.get_or_create(
    username="bench-editor", defaults={"email": "bench-editor@example.org", "is_staff": True}
)
user.groups.add(Group.objects.get(name=EDITORS))
client = Client()
client.force_login(user)
print("; ".join(f"{name}={cookie.value}" for name, cookie in client.cookies.items()))
"""


def run(args: list[str], env: dict[str, str], *, capture: bool = False) -> str:
    started = time.monotonic()
    print(f"-- {' '.join(args[1:4])}", flush=True)
    out = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=capture, text=True)
    print(f"   done in {time.monotonic() - started:.1f} s", flush=True)
    return out.stdout or ""


def build(env: dict[str, str], options, stories: int) -> str:
    """The archive (unless --no-build) and an editor's session cookies."""
    python = [sys.executable, "manage.py"]
    session = [*python, "shell", "-c", EDITOR_SESSION]
    if options.no_build:
        return run(session, env, capture=True).strip().splitlines()[-1]
    run([*python, "migrate", "--noinput", "--verbosity", "0"], env)
    run([*python, "collectstatic", "--noinput", "--verbosity", "0"], env)
    run(
        [
            *python,
            "load_archive",
            f"--stories={stories}",
            f"--pictures={options.pictures}",
            f"--years={options.years}",
        ],
        env,
    )
    return run(session, env, capture=True).strip().splitlines()[-1]


def varied_searches(count: int = 200) -> list[str]:
    """Searches for as many different words of the archive's own text (which it draws from
    the demo stories), from the common to the rare: a figure for one word asked again and
    again is that of a page the database and the worker have just read."""
    text = " ".join(
        p for story in json.loads(STORIES_FILE.read_text())["stories"] for p in story["paragraphs"]
    )
    words = sorted({word.lower() for word in re.findall(r"[A-Za-z]{6,}", text)})
    chosen = sorted({words[n * len(words) // count] for n in range(count)})
    return [f"/search/?q={word}" for word in chosen]


def fetch_ms(url: str, cookie: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        assert response.status == 200, (url, response.status)
    return (time.perf_counter() - started) * 1000


def wrk_rps(base: str, paths: list[str], cookie: str, seconds: int) -> tuple[float, int]:
    """Requests per second at 32 connections, and responses outside 2xx; several paths are
    taken in turn (bench/wrk.lua)."""
    header = ["-H", f"Cookie: {cookie}"] if cookie else []
    script, env = [], None
    if len(paths) > 1:
        listed = WORK / "wrk-paths.txt"
        listed.write_text("\n".join(paths) + "\n")
        script = [f"--script={ROOT / 'bench' / 'wrk.lua'}"]
        env = {**os.environ, "BENCH_PATHS": str(listed)}
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", *header, *script, base + paths[0]],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), int(
        errors.group(1) if errors else 0
    )


def pages(server: Server, editor: str) -> dict[str, tuple[list[str], str]]:
    """Each measured page: its paths (requests take them in turn) and the cookie sent."""

    def section_page(number: int) -> str:
        """The section's page `number`, or its last when it has fewer."""
        url = f"{server.url}/section/section-0/?page={number}"
        try:
            urllib.request.urlopen(url, timeout=60).read()
        except urllib.error.HTTPError:
            last = urllib.request.urlopen(f"{server.url}/section/section-0/", timeout=60).read()
            number = int(re.search(rb"Page 1 of (\d+)", last).group(1))
        return f"/section/section-0/?page={number}"

    admin = "/admin/articles/article/"
    measured = {
        "search_common": ("/search/?q=council", ""),
        "search_varied": (varied_searches(), ""),
        "search_rare": (f"/search/?q={RARE_WORD}", ""),
        "search_phrase": ("/search/?" + urllib.parse.urlencode({"q": '"city council"'}), ""),
        "search_none": ("/search/?q=zyzzogeton", ""),
        "section_page_1": ("/section/section-0/", ""),
        "section_page_500": (section_page(500), ""),
        "sitemap_index": ("/sitemap.xml", ""),
        "sitemap_part": ("/sitemap-articles.xml?p=1", ""),
        "news_sitemap": ("/sitemap-news.xml", ""),
        "feed": ("/feed/", ""),
        "admin_list": (admin, editor),
        "admin_search": (f"{admin}?q=council", editor),
        "admin_change": (f"{admin}1/change/", editor),
    }
    return {
        name: (path if isinstance(path, list) else [path], cookie)
        for name, (path, cookie) in measured.items()
    }


def measure(env: dict[str, str], editor: str, options, label: str) -> dict:
    results = {}
    with Server(env=env, workers=4, log=WORK / f"gunicorn-{label}.log") as server:
        # Workers that have served the site, as a running one's have: a process's first
        # request of a kind (imports, translations, its database connection, the templates)
        # is paid once per process, and with four workers it landed among a page's requests.
        # Other words and another section than those measured.
        for path, cookie in (*WARM_PAGES, ("/admin/", editor)):
            wrk_rps(server.url, [path], cookie, WARM_SECONDS)
        for name, (paths, cookie) in pages(server, editor).items():
            time.sleep(BACKLOG_SECONDS)
            first = fetch_ms(server.url + paths[0], cookie)
            times = sorted(
                fetch_ms(server.url + paths[(n + 1) % len(paths)], cookie)
                for n in range(options.requests)
            )
            p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
            rps, errors = wrk_rps(server.url, paths, cookie, options.seconds)
            shown = paths[0] if len(paths) == 1 else f"{paths[0]} and {len(paths) - 1} more"
            results[name] = {
                "path": shown,
                "first_ms": round(first, 1),
                "p50_ms": round(statistics.median(times), 1),
                "p99_ms": round(p99, 1),
                "rps": round(rps, 1),
                "non_2xx": errors,
            }
            print(
                f"{label:8} {name:17} first {first:7.1f} ms  p50 {results[name]['p50_ms']:7.1f}"
                f" ms  p99 {p99:7.1f} ms  {rps:8.1f} req/s  non-2xx {errors}  {shown}",
                flush=True,
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=200_000)
    parser.add_argument("--sqlite-stories", type=int, default=20_000)
    parser.add_argument("--pictures", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--database", default=DATABASE, help="the PostgreSQL database to build")
    parser.add_argument("--smoke", action="store_true", help="a few thousand stories, briefly")
    parser.add_argument(
        "--no-build", action="store_true", help="measure the archives the last run built"
    )
    options = parser.parse_args()
    if options.smoke:
        for name, value in SMOKE.items():
            setattr(options, name, value)
    if not options.no_build:
        shutil.rmtree(WORK, ignore_errors=True)
        WORK.mkdir(parents=True)
        host = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *host, "--if-exists", "--force", options.database], check=True)
        subprocess.run(["createdb", *host, options.database], check=True)
    redis.Redis.from_url(options.redis_url).flushdb()
    env = production_environment(
        database=options.database,
        redis_url=options.redis_url,
        MEDIA_ROOT=str(WORK / "media"),
        CACHE_DIR=str(WORK / "cache"),
        VAR_DIR=str(WORK / "var"),
    )
    editor = build(env, options, options.stories)
    summary = measure(env, editor, options, "postgres")
    redis.Redis.from_url(options.redis_url).flushdb()
    sqlite_env = {
        **env,
        "DATABASE_URL": f"sqlite:///{WORK / 'archive.sqlite3'}",
        "CACHE_DIR": str(WORK / "cache-sqlite"),
    }
    editor = build(sqlite_env, options, options.sqlite_stories)
    summary["sqlite"] = measure(sqlite_env, editor, options, "sqlite")
    summary["stories"] = {"postgres": options.stories, "sqlite": options.sqlite_stories}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
