"""Headless Chromium on the live site: screenshots, and axe-core finding nothing serious."""

import pytest

from tests.articles.reader_data import furnished_article
from tests.integration.chromium import (
    DESKTOP,
    PHONE,
    chromium_launch,
    chromium_required,
    serious_violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


def assert_quiet_console(browser, base_url, paths) -> None:
    """Under the real CSP, no page logs an error or asks for something that is not there
    (a stray inline style, a missing icon)."""
    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    for path in [*paths, "/favicon.ico"]:
        page.goto(base_url + path)
        page.wait_for_load_state("load")
    assert problems == []
    context.close()


def test_home_and_article_render_work_without_script_and_pass_axe(
    live_server, editor, section, artifacts
):
    chromium_required(axe=True)
    article = furnished_article(
        editor=editor,
        section=section,
        related=3,
        is_breaking=True,
    )
    from playwright.sync_api import sync_playwright

    pages = {"home": "/", "article": article.get_absolute_url()}
    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            for device, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, bypass_csp=True)
                page = context.new_page()
                for name, path in pages.items():
                    response = page.goto(live_server.url + path)
                    assert response.status == 200
                    assert page.locator("h1").count() == 1
                    page.screenshot(path=str(artifacts / f"{name}-{device}.png"), full_page=True)
                    assert serious_violations(page) == [], (name, device)
                body = page.locator("[data-article-body]")
                assert body.get_attribute("data-access") == "metered"
                assert body.locator(".article-rest p").count() == 6
                context.close()
            assert_quiet_console(browser, live_server.url, pages.values())
            without_script = browser.new_context(java_script_enabled=False)
            page = without_script.new_page()
            page.goto(live_server.url + article.get_absolute_url())
            assert page.locator(".article-rest p").last.is_visible()
            page.keyboard.press("Tab")
            skip_link = page.locator(".skip-link")
            assert skip_link.evaluate("el => el === document.activeElement")
            assert skip_link.bounding_box()["x"] >= 0  # shown when focused
            without_script.close()
        finally:
            browser.close()
