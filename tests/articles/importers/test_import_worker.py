"""An import uploaded in the admin and run by a real Celery worker on Redis, followed on its
progress page; then a worker killed mid-import, the job seen stalled, retried and finished
by another worker with every story there once. These tests commit (transactional_db) and
need PostgreSQL and Redis."""

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, ImportJob
from bench.wxr import wxr_write
from tests import factories
from tests.celery_worker import Worker, broker_queue, services_required

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
ADD = "/admin/articles/importjob/add/"
STATE = re.compile(r'data-state="(\w+)"')


@pytest.fixture
def queue():
    services_required()
    with broker_queue("test-imports") as queue:
        yield queue


@pytest.fixture
def start_worker(queue, settings):
    settings.IMPORT_STALLED_SECONDS = 2
    workers = []

    def start() -> Worker:
        worker = Worker(
            queue,
            settings_module="tests.articles.importers.worker_settings",
            env={
                "IMPORT_ROOT": str(settings.IMPORT_ROOT),
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "IMPORT_STALLED_SECONDS": "2",
            },
            concurrency=1,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill()


@pytest.fixture
def editor_client(client):
    """An editor-in-chief; superuser, since flushes between these tests empty the groups."""
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def _upload(client, path) -> ImportJob:
    data = {"source": "wordpress", "export": SimpleUploadedFile(path.name, path.read_bytes())}
    form = client.get(ADD).content.decode()
    data["token"] = re.search(r'name="token" value="([^"]+)"', form).group(1)
    assert client.post(ADD, data).status_code == 302
    return ImportJob.objects.get()


def _page_until(client, job, wanted: str, timeout: float = 240) -> str:
    """The job's progress page, reloaded as its refresh asks, until its state is `wanted`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = client.get(f"/admin/articles/importjob/{job.pk}/change/").content.decode()
        state = STATE.search(page).group(1)
        if state == wanted:
            return page
        # Under way, the page reloads itself; a queued job may look stalled for a moment
        # while a worker starts on a busy machine.
        assert ('http-equiv="refresh"' in page) == (state in ("queued", "running"))
        time.sleep(0.3)
    job.refresh_from_db()
    pytest.fail(f"the import did not become {wanted}: {job.state}, {job.done} of {job.total}")


def test_a_worker_imports_an_upload_and_its_page_follows_it(start_worker, editor_client, tmp_path):
    export = tmp_path / "site.xml"
    wxr_write(export, posts=200)
    start_worker()
    job = _upload(editor_client, export)
    page = _page_until(editor_client, job, "finished")
    assert "Created: 40 authors, 200 stories" in page and 'http-equiv="refresh"' not in page
    assert Article.objects.filter(import_key__startswith="wordpress:").count() == 200


def test_a_worker_killed_mid_import_stalls_and_a_retry_finishes_it_once(
    start_worker, editor_client, tmp_path
):
    export = tmp_path / "site.xml"
    wxr_write(export, posts=1500)
    worker = start_worker()
    job = _upload(editor_client, export)
    deadline = time.monotonic() + 240
    while ImportJob.objects.get(pk=job.pk).done < 200:
        assert time.monotonic() < deadline, "the worker did not reach its 200th post"
        time.sleep(0.1)
    worker.kill()
    written = Article.objects.count()
    assert 0 < written < 1500
    page = _page_until(editor_client, job, "stalled", timeout=30)
    assert "Start the import again" in page
    start_worker()
    assert editor_client.post(f"/admin/articles/importjob/{job.pk}/retry/").status_code == 302
    page = _page_until(editor_client, job, "finished")
    job.refresh_from_db()
    assert job.attempts == 2
    assert Article.objects.count() == 1500  # each story once: the retry changed nothing twice
    created = int(re.search(r"Created: (?:\d+ authors, )?(\d+) stories", page).group(1))
    unchanged = int(re.search(r"Unchanged: (?:\d+ authors, )?(\d+) stories", page).group(1))
    assert created + unchanged == 1500 and unchanged >= written
