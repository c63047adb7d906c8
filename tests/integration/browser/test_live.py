"""Headless Chromium on a live story: a reader's open page shows the update an editor posts
from the live desk, announces it, and axe finds nothing serious; without script, the page
reads in full and offers its "Newer updates" link."""

import pytest

from articles import live_services
from tests import factories
from tests.articles.live_data import live_story, update_post
from tests.articles.reader_data import picture
from tests.integration.chromium import (
    ADMIN,
    ARTIFACTS,
    DESKTOP,
    chromium_launch,
    chromium_required,
    serious_violations,
    staff_sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
POSTED = "Ferries to resume on Friday"


def test_an_open_page_shows_the_update_an_editor_posts(
    live_server, editor, section, settings, monkeypatch
):
    chromium_required(axe=True)
    # Playwright's sync API runs an event loop in this thread; the test's database calls
    # are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.LIVE_POLL_SECONDS = 1
    factories.email_confirm(editor)  # staff sign in with a confirmed address
    story = live_story(editor=editor, section=section)
    update_post(story, by=editor, n=1, is_key_point=True)
    update_post(story, by=editor, n=2, is_pinned=True)
    update_post(story, by=editor, n=3, image=picture(width=800, height=500))
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    url = live_server.url + story.get_absolute_url()
    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            reader = browser.new_context(viewport=DESKTOP).new_page()
            problems = []
            reader.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            reader.goto(url)
            timeline = reader.locator("[data-live-timeline] > li")
            expect(timeline).to_have_count(2)
            expect(reader.locator("[data-live-pinned] > li")).to_have_count(1)
            expect(timeline.first.locator("figure img")).to_be_visible()
            expect(timeline.first.locator("[data-live-ago]")).to_have_text("just now")
            expect(reader.locator("[data-live-newer]")).to_be_hidden()
            assert serious_violations(reader) == []

            admin = browser.new_context(viewport=ADMIN).new_page()
            staff_sign_in(admin, live_server.url, editor)
            admin.goto(live_server.url + f"/admin/articles/article/{story.pk}/change/")
            admin.fill("#id_live-headline", POSTED)
            body = admin.locator("#live-desk [contenteditable=true]")
            body.click()
            body.type("Both sides agreed terms at the conciliation service this afternoon.")
            admin.check("#id_live-is_key_point")
            admin.get_by_role("button", name="Post the update").click()
            expect(admin.locator(".messagelist .success")).to_have_count(1)
            admin.screenshot(path=str(ARTIFACTS / "live-desk.png"), full_page=True)

            # The open page, without a reload.
            expect(timeline.first.locator("h3")).to_have_text(POSTED, timeout=15000)
            expect(timeline).to_have_count(3)
            expect(reader.locator("[data-live-announce]")).to_have_text("1 new update")
            expect(reader.locator("[data-live-key-points] li")).to_have_count(2)
            assert "conciliation service" in timeline.first.inner_text()
            reader.screenshot(path=str(ARTIFACTS / "live-story.png"), full_page=True)
            assert serious_violations(reader) == []
            assert problems == []

            without_script = browser.new_context(java_script_enabled=False).new_page()
            without_script.goto(url)
            newer = without_script.get_by_role("link", name="Newer updates")
            expect(newer).to_be_visible()
            expect(without_script.locator("[data-live-timeline] > li")).to_have_count(3)
        finally:
            browser.close()


def test_an_ended_story_s_page_stops_asking_and_coming_back_to_it_does_not_restart(
    live_server, editor, section, settings, monkeypatch
):
    chromium_required()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.LIVE_POLL_SECONDS = 1
    story = live_story(editor=editor, section=section)
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            reader = browser.new_context(viewport=DESKTOP).new_page()
            polls = []
            reader.on("request", lambda r: polls.append(r.url) if "/live/" in r.url else None)
            reader.goto(live_server.url + story.get_absolute_url())
            live_services.live_end(coverage=story.live_coverage, by=editor)
            status = reader.locator("[data-live-status]")
            expect(status).to_have_text("Live coverage ended", timeout=15000)
            asked = len(polls)
            reader.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
            reader.wait_for_timeout(3000)  # three poll intervals
            assert len(polls) == asked
        finally:
            browser.close()
