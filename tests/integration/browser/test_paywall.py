"""Headless Chromium: an anonymous reader walks to the wall, registers from it, types the
emailed code, and is back on the same article in full. Screenshots of the appeal, the nudge
and the wall are kept."""

import pytest

from tests import factories
from tests.accounts.mailbox import emailed_code
from tests.integration.chromium import DESKTOP, chromium_launch, chromium_required
from tests.paywall.pages import GATED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_from_the_wall_to_the_full_article_through_sign_up(
    live_server, section, editor, artifacts
):
    metered_articles = [
        factories.article_published(section=section, by=editor) for _n in range(11)
    ]
    chromium_required()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            page = browser.new_page(viewport=DESKTOP)
            for n, article in enumerate(metered_articles[:10], start=1):
                assert page.goto(live_server.url + article.get_absolute_url()).status == 200
                assert page.locator(".article-rest p").count() == 6
                if n == 1:
                    appeal = page.locator('[data-paywall="donate"]')
                    appeal.scroll_into_view_if_needed()
                    appeal.screenshot(path=str(artifacts / "paywall-donate.png"))
                if n == 3:
                    nudge = page.locator('[data-paywall="nudge"]')
                    assert nudge.get_attribute("data-reads") == "3"
                    page.screenshot(path=str(artifacts / "paywall-nudge.png"), full_page=True)

            walled = metered_articles[10]
            page.goto(live_server.url + walled.get_absolute_url())
            wall = page.locator('[data-paywall="wall"]')
            assert wall.get_attribute("data-reads") == "10"
            assert page.locator(".article-rest").count() == 0
            assert not any(sentence in page.content() for sentence in GATED)
            page.screenshot(path=str(artifacts / "paywall-wall.png"), full_page=True)

            wall.get_by_role("link", name="Register for full access").click()
            page.wait_for_url("**/accounts/signup/**")
            page.fill('input[name="email"]', "walked-in@example.org")
            page.fill('input[name="password1"]', "a-long-reader-password-42")
            page.fill('input[name="password2"]', "a-long-reader-password-42")
            page.locator('form[action="/accounts/signup/"] button[type="submit"]').click()
            page.wait_for_url("**/accounts/confirm-email/")
            page.fill('input[name="code"]', emailed_code())
            page.get_by_role("button", name="Confirm").click()
            page.wait_for_url(live_server.url + walled.get_absolute_url())
            assert page.locator('[data-paywall="wall"]').count() == 0
            assert page.locator(".article-rest p").count() == 6
            page.screenshot(path=str(artifacts / "paywall-after-sign-up.png"), full_page=True)
        finally:
            browser.close()
