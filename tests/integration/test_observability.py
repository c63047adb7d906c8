"""Structured logs and error reporting: JSON lines in production, Sentry only with a DSN."""

import gzip
import json
import logging
import os
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sentry_sdk
from django.conf import settings

from bench.server import Server
from newsroom.logging import logging_config

ROOT = Path(__file__).resolve().parents[2]


def _app_env() -> dict[str, str]:
    """A process with the production settings module, as gunicorn and Celery run it."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": "x" * 50,
        "SECURE": "false",
    }


def json_formatter() -> logging.Formatter:
    spec = dict(logging_config(log_format="json", level="INFO")["formatters"]["json"])
    return spec.pop("()")(**spec)


def test_json_lines_carry_level_logger_and_message():
    record = logging.LogRecord(
        "paywall", logging.WARNING, __file__, 1, "meter %s", ("down",), None
    )

    line = json.loads(json_formatter().format(record))

    assert line["level"] == "WARNING"
    assert line["logger"] == "paywall"
    assert line["message"] == "meter down"
    assert "time" in line


def test_gunicorn_access_lines_get_request_fields():
    atoms = {"m": "GET", "U": "/articles/x/", "s": "200", "M": 12, "h": "127.0.0.1"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(m)s", (), None)
    record.args = atoms

    line = json.loads(json_formatter().format(record))

    assert (line["method"], line["path"], line["status"], line["duration_ms"]) == (
        "GET",
        "/articles/x/",
        "200",
        12,
    )


def test_an_unknown_log_format_is_refused_at_start_up():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


def test_without_a_dsn_sentry_is_not_started_nor_loaded():
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()
    # Not even imported: it would cost every gunicorn worker some 18 MB for nothing.
    script = "import django, sys; django.setup(); print('sentry_sdk' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**_app_env(), "SENTRY_DSN": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "False"


class _Sink(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        self.received.append(gzip.decompress(body) if encoding == "gzip" else body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_with_a_dsn_an_error_log_reaches_sentry():
    """A real sentry-sdk client posts the event to a local stand-in for Sentry's ingest."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**_app_env(), "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/42"}
    script = (
        "import django, logging, sentry_sdk; django.setup();"
        "logging.getLogger('newsroom').error('sentry wiring check');"
        "sentry_sdk.flush(timeout=5)"
    )
    try:
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=60)
    finally:
        server.shutdown()

    assert any(b"sentry wiring check" in body for body in _Sink.received)


def test_gunicorn_and_django_log_json_lines_in_production(site, tmp_path):
    """The served site with LOG_FORMAT=json: every line gunicorn's master and workers print
    is one JSON object, and access lines carry the request's fields."""
    log = tmp_path / "gunicorn.log"
    env = {**site.env, "LOG_FORMAT": "json", "LOG_LEVEL": "INFO"}
    with Server(env=env, workers=1, log=log, access_log=True) as server:
        status = urllib.request.urlopen(f"{server.url}/healthz/", timeout=10).status  # noqa: S310
    assert status == 200

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert any(
        line["path"] == "/healthz/" and line["status"] == "200" and line["method"] == "GET"
        for line in access
    ), access
    assert {"time", "level", "logger", "message"} <= set(lines[0])
