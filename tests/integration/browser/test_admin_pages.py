"""Headless Chromium on the admin at phone width: the funnel chart is readable (axes, dates,
values) and wide tables scroll inside their box instead of being cut off. Screenshots are
kept as artifacts."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from articles import services
from paywall.models import FunnelDay
from tests import factories
from tests.integration.chromium import PHONE, chromium_launch, chromium_required

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DAYS = 30


def session_of(user) -> str:
    """A session of `user`'s, signed in through Django's test client (before the browser
    starts: Playwright's loop lets no database call run)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def signed_in_context(browser, live_server, session: str):
    context = browser.new_context(viewport=PHONE)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return context


def page_overflow(page) -> int:
    """How far the page itself is wider than the window (0: nothing cut off or scrolled)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def texts(locator) -> list[str]:
    """What SVG text elements say (they have no inner text of their own)."""
    return locator.evaluate_all("nodes => nodes.map(node => node.textContent.trim())")


def funnel_days():
    today = timezone.localdate()
    for n in range(DAYS):
        FunnelDay.objects.create(
            day=today - timedelta(days=DAYS - 1 - n),
            article_id=0,
            views=40 + 3 * n,
            nudges=10 + n,
            walls=n // 3,
            signups=n // 10,
        )


def test_the_funnel_chart_at_phone_width_has_axes_dates_and_values(live_server, editor, artifacts):
    chromium_required()
    funnel_days()
    session = session_of(editor)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            context = signed_in_context(browser, live_server, session)
            page = context.new_page()
            assert page.goto(live_server.url + "/admin/paywall/funnelday/").status == 200
            chart = page.locator('[data-funnel="chart"]')
            chart.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts / "admin-funnel-phone.png"), full_page=True)
            chart.screenshot(path=str(artifacts / "admin-funnel-chart-phone.png"))

            assert page_overflow(page) == 0
            frame = page.locator(".funnel-chart-frame").bounding_box()
            assert frame["x"] >= 0 and frame["x"] + frame["width"] <= PHONE["width"]
            box = chart.bounding_box()
            assert box["width"] >= 300 and box["height"] >= 120

            values = texts(chart.locator('[data-funnel="value-axis"] text'))
            assert values[0] == "0" and values[-1] == "200"  # 127 views at most: a round top
            days = texts(chart.locator('[data-funnel="day-axis"] text'))
            today = timezone.localdate()
            first = today - timedelta(days=DAYS - 1)
            assert days[0] == f"{first.day} {first:%b}" and days[-1] == f"{today.day} {today:%b}"
            assert len(days) >= 4
            # Labels are large enough to read once the chart is scaled to the phone.
            label = chart.locator('[data-funnel="day-axis"] text').first.bounding_box()
            assert label["height"] >= 9

            views = chart.locator("[data-funnel-series] circle title").first.text_content()
            assert views == f"Metered views, {first.day} {first:%b}: 40"
            page.locator(".funnel-days summary").click()
            cells = page.locator('[data-funnel="days"] tbody tr').first.locator("td")
            assert cells.nth(1).inner_text() == str(40 + 3 * (DAYS - 1))
            context.close()
        finally:
            browser.close()


def test_admin_tables_scroll_at_phone_width_instead_of_being_cut_off(
    live_server, editor, section, artifacts
):
    chromium_required()
    funnel_days()
    article = factories.article_published(section=section, headline="A first headline")
    article.headline = "A headline rewritten at length for the history to show it " * 2
    article.body = "<p>" + "A body long enough to make the changes column wide. " * 6 + "</p>"
    services.article_save(article=article, by=editor)
    session = session_of(editor)
    # Each page and the box its wide table scrolls in.
    tables = {
        "history": (f"/admin/articles/article/{article.pk}/history/", "#change-history"),
        "funnel": ("/admin/paywall/funnelday/", ".table-scroll"),
        "changelist": ("/admin/articles/article/", "#changelist .results"),
    }
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            context = signed_in_context(browser, live_server, session)
            page = context.new_page()
            for name, (path, box_selector) in tables.items():
                assert page.goto(live_server.url + path).status == 200
                page.screenshot(path=str(artifacts / f"admin-{name}-phone.png"), full_page=True)
                assert page_overflow(page) == 0, name  # nothing cut off or pushed off the page
                box = page.locator(box_selector).first
                edge = box.bounding_box()
                assert edge["x"] >= 0 and edge["x"] + edge["width"] <= PHONE["width"], name
                assert box.evaluate("el => el.scrollWidth - el.clientWidth") > 0, name
                box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
                assert box.evaluate("el => el.scrollLeft") > 0, name  # scrolls to its end
                page.screenshot(path=str(artifacts / f"admin-{name}-phone-scrolled.png"))
            # The history's columns keep a readable width rather than a letter per line.
            changes = page.goto(live_server.url + tables["history"][0])
            assert changes.status == 200
            cell = page.locator("#change-history tbody td").last.bounding_box()
            assert cell["width"] >= 200
            context.close()
        finally:
            browser.close()
