"""`make bench-alerts`: one breaking alert to 20,000 subscribers through the real pipeline.

PostgreSQL (its own database, newsroom_bench_alerts), a Redis broker (db 10), one Celery
worker with 2 processes and a local aiosmtpd sink in its own process. For comparison, the
same per-recipient messages (same templates, same headers, built by the same code) are sent
by a plain smtplib loop over one connection to a fresh sink. Prints the figures; the last
line is one JSON object.
"""

import argparse
import json
import os
import signal
import smtplib
import subprocess
import sys
import time

import redis

from bench.server import ROOT, production_environment

WORK = ROOT / "var" / "bench-alerts"
DATABASE = "newsroom_bench_alerts"
REDIS_URL = "redis://127.0.0.1:6379/10"
TARGET_RATIO = 0.8
TARGET_CLICK_MS = 200


def environment() -> dict[str, str]:
    return production_environment(
        database=DATABASE, redis_url=REDIS_URL, SITE_URL="http://127.0.0.1:8000"
    )


class Sink:
    """The SMTP sink in a process of its own, reporting its tallies through a file."""

    def __init__(self, name: str, env: dict[str, str]):
        from support.smtp_sink import free_port

        self.port = free_port()
        self.stats = WORK / f"{name}.json"
        self.stats.unlink(missing_ok=True)
        command = [sys.executable, "-m", "support.smtp_sink", "--port", str(self.port)]
        self.process = subprocess.Popen([*command, "--stats", str(self.stats)], cwd=ROOT, env=env)
        while not self.stats.exists():
            time.sleep(0.05)

    def tallies(self) -> dict:
        return json.loads(self.stats.read_text())

    def wait_for(self, count: int, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while self.tallies()["unique"] < count and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # let late duplicates, if any, show up
        return self.tallies()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def prepare(subscribers: int, env: dict[str, str]) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    host = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *host, "--if-exists", "--force", DATABASE], check=True)
    subprocess.run(["createdb", *host, DATABASE], check=True)
    redis.Redis.from_url(REDIS_URL).flushdb()
    manage = [sys.executable, "manage.py"]
    quiet = ["--noinput", "--verbosity", "0"]
    subprocess.run([*manage, "migrate", *quiet], cwd=ROOT, env=env, check=True)
    # The admin's pages, the click among them, name static files from the manifest.
    subprocess.run([*manage, "collectstatic", *quiet], cwd=ROOT, env=env, check=True)


def seed(subscribers: int):
    """The audience in bulk (one opt-in each would only measure the sign-up), and one story
    published through the product's services."""
    from django.contrib.auth import get_user_model

    from alerts.models import Subscriber
    from articles import services
    from articles.models import Article, Section

    Subscriber.objects.bulk_create(
        (
            Subscriber(email=f"reader{n}@example.net", state=Subscriber.State.CONFIRMED)
            for n in range(subscribers)
        ),
        batch_size=5000,
    )
    chief = get_user_model().objects.create_superuser("chief", "chief@example.org", None)
    story = Article(
        headline="Flood barrier holds as the river peaks overnight",
        slug="flood-barrier-holds",
        dek="The city's new barrier kept the water out of the old town.",
        body="<p>The river peaked at midnight, a metre under the top of the barrier.</p>",
        section=Section.objects.create(name="World", slug="world"),
    )
    story = services.article_save(article=story, by=chief)
    return chief, services.article_publish(article=story, by=chief)


def smtplib_loop(article, port: int) -> float:
    """The floor: the same messages built by the same code, sent in a loop on one connection."""
    from alerts.emails import AlertEmail
    from alerts.models import Subscriber

    audience = list(Subscriber.objects.receiving().values_list("pk", "email"))
    started = time.perf_counter()
    email = AlertEmail(article)
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for subscriber_id, address in audience:
            message = email.message(subscriber_id=subscriber_id, email=address)
            connection.sendmail(
                message.from_email, [address], message.message().as_bytes(linesep="\r\n")
            )
    return len(audience) / (time.perf_counter() - started)


def start_worker(env: dict[str, str], smtp_port: int, processes: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "newsroom", "worker",
        f"--concurrency={processes}", "--loglevel=WARNING",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    worker_env = {**env, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
    return subprocess.Popen(command, cwd=ROOT, env=worker_env, start_new_session=True)


def stop_worker(worker: subprocess.Popen) -> None:
    """TERM to the main process only, which stops its pool (a pool process killed directly
    can leave it waiting); whatever is left after a while is killed."""
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def wait_until_ready() -> None:
    from newsroom.celery import app

    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5) and time.monotonic() < deadline:
        pass


def click(chief, article) -> float:
    """The editor's confirmation page, then the timed POST that sends the alert."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(chief)
    url = reverse("admin:alerts_alert_send", args=[article.pk])
    client.get(url)
    started = time.perf_counter()
    response = client.post(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 302, response.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--smoke", action="store_true", help="300 subscribers, to show the benchmark works (CI)"
    )
    options = parser.parse_args()
    if options.smoke:
        options.subscribers = 300
    env = environment()
    print(f"-- database {DATABASE}, broker {REDIS_URL}, {options.subscribers} subscribers")
    prepare(options.subscribers, env)
    os.environ.update(env)
    import django

    django.setup()
    chief, article = seed(options.subscribers)

    floor_sink = Sink("smtplib", env)
    try:
        smtplib_rate = smtplib_loop(article, floor_sink.port)
    finally:
        floor_sink.stop()
    print(f"plain smtplib loop, one connection: {smtplib_rate:.0f} msgs/s")

    sink = Sink("pipeline", env)
    worker = start_worker(env, sink.port, options.processes)
    try:
        wait_until_ready()
        sent_at = time.time()
        click_ms = click(chief, article)
        tallies = sink.wait_for(options.subscribers, timeout=600)
    finally:
        stop_worker(worker)
        sink.stop()
    seconds = tallies["last_accepted_at"] - sent_at
    rate = tallies["unique"] / seconds
    result = {
        "messages": tallies["messages"],
        "seconds": round(seconds, 2),
        "msgs_per_s": round(rate, 1),
        "smtplib_msgs_per_s": round(smtplib_rate, 1),
        "ratio": round(rate / smtplib_rate, 3),
        "click_ms": round(click_ms, 1),
        "duplicates": tallies["duplicates"],
        "missed": options.subscribers - tallies["unique"],
    }
    print(f"pipeline, {options.processes} worker processes: {rate:.0f} msgs/s")
    print(f"send to last message accepted: {seconds:.2f} s")
    print(f"ratio to smtplib: {result['ratio']} (target >= {TARGET_RATIO})")
    print(f"editor's click: {click_ms:.1f} ms (target < {TARGET_CLICK_MS} ms)")
    print(f"duplicates: {result['duplicates']}, missed: {result['missed']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
