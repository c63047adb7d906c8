"""Headless Chromium in the admin: an editor uploads a WordPress export, and the progress
page, reloading itself under the site's CSP with no script of its own, follows the import
that a real Celery worker runs until the report shows."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from articles.models import Article
from bench.wxr import wxr_write
from tests import factories
from tests.celery_worker import Worker, broker_queue, services_required
from tests.integration.chromium import ADMIN, ARTIFACTS, chromium_launch, chromium_required

pytestmark = [
    pytest.mark.browser,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
POSTS = 600


def test_an_editor_uploads_an_export_and_watches_it_come_in(live_server, tmp_path, monkeypatch):
    chromium_required()
    services_required()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM checks between steps
    editor = factories.UserFactory(is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    export = tmp_path / "gazette.xml"
    wxr_write(export, posts=POSTS)
    from playwright.sync_api import expect, sync_playwright

    with broker_queue("test-import-browser") as queue, sync_playwright() as playwright:
        worker = Worker(
            queue,
            settings_module="tests.articles.importers.worker_settings",
            env={"IMPORT_ROOT": str(settings.IMPORT_ROOT), "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
            concurrency=1,
        )
        browser = chromium_launch(playwright)
        try:
            page = browser.new_context(viewport=ADMIN).new_page()
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(live_server.url + "/admin/")
            page.fill("[name=login]", editor.email)
            page.fill("[name=password]", "correct-horse-battery")
            page.locator("form:has([name=password]) [type=submit]").click()
            page.wait_for_url(live_server.url + "/admin/")

            page.goto(live_server.url + "/admin/articles/importjob/")
            page.get_by_role("link", name=re.compile("add site import", re.I)).click()
            page.get_by_label(re.compile("WordPress export")).check()
            page.set_input_files("#id_export", str(export))
            page.get_by_role("button", name="Upload and import").click()
            page.wait_for_url(re.compile(r"/admin/articles/importjob/\d+/change/"))
            job = page.locator("[data-import-job]")
            assert job.get_attribute("data-state") in ("queued", "running")
            # No reload from the test: the page's own refresh brings the end.
            expect(job).to_have_attribute("data-state", "finished", timeout=180_000)
            expect(page.locator("[data-import-report]")).to_contain_text(
                f"Created: 40 authors, {POSTS} stories"
            )
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "admin-import-finished.png"), full_page=True)
            assert errors == []  # nothing the CSP refused, nothing missing
        finally:
            browser.close()
            worker.kill()
    assert Article.objects.count() == POSTS
