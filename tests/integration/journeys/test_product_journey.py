"""The whole product once, in headless Chromium, as people would use it.

An anonymous reader reads until the wall, registers from it, types the emailed code and is
back on the full story; asks for breaking-news alerts with one click. An editor signs in to the
admin, uploads a photo, writes and publishes a breaking story with it, and sends the alert.
The email reaches a real SMTP server; the reader leaves with one click. Every step is saved
as a screenshot in journey/ of the test artifacts (README, Tests), and axe-core finds no
serious violation on any reader-facing page visited. The admin's pages are not held to it:
Django's admin chrome and the rich-text editor's widget are outside the product's own markup.
"""

import io
import re
import time
from email.message import Message

import pytest
from allauth.account.models import EmailAddress
from django.db import connections
from PIL import Image as PILImage

from alerts.models import Subscriber
from articles.models import Article
from support.smtp_sink import RecordingHandler
from support.smtp_sink import start as smtp_start
from tests import factories
from tests.accounts.mailbox import code_in
from tests.integration.chromium import (
    ADMIN,
    DESKTOP,
    MAIL_SECONDS,
    chromium_launch,
    chromium_required,
    serious_violations,
    staff_sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WALL_AFTER = 10
READER_EMAIL = "mira.reader@example.org"
READER_PASSWORD = "a-long-reader-passphrase-42"
HEADLINE = "Flood barrier holds as the river peaks overnight"


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback; the site sends every email to it."""
    handler = RecordingHandler()
    controller = smtp_start(handler)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


def mail_to(
    sink: RecordingHandler, address: str, subject_has: str, seconds=MAIL_SECONDS
) -> Message:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with sink.lock:
            raw = sink.messages.get(address)
        if raw:
            message = sink.message(address)
            if subject_has.lower() in str(message["Subject"]).lower():
                return message
        time.sleep(0.1)
    raise AssertionError(f"no email to {address} about {subject_has!r}")


def text_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def link_in(message: Message, pattern: str) -> str:
    match = re.search(rf"https?://\S+{pattern}\S*", text_of(message))
    assert match, f"no link like {pattern} in:\n{text_of(message)}"
    return match.group(0).rstrip(".>)")


def jpeg(width=1200, height=800) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (30, 90, 140)).save(out, "JPEG", quality=85)
    return out.getvalue()


class Journey:
    """Screenshots every step and runs axe-core on the reader-facing ones."""

    def __init__(self, folder):
        self.shots = folder / "journey"
        self.shots.mkdir(parents=True, exist_ok=True)
        self.step = 0
        self.violations: dict[str, list[str]] = {}

    def record(self, page, name: str, *, axe: bool = True) -> None:
        self.step += 1
        page.screenshot(path=str(self.shots / f"{self.step:02d}-{name}.png"), full_page=True)
        if not axe:
            return
        serious = serious_violations(page)
        if serious:
            self.violations[name] = serious


def select2_pick(page, field: str, text: str) -> None:
    """Choose in one of the admin's autocomplete boxes, by typing as an editor does."""
    page.locator(f"#id_{field} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_reader_editor_and_alert_journey(live_server, smtp_sink, settings, monkeypatch, artifacts):
    chromium_required(axe=True)
    # Playwright's sync API runs an event loop in this thread; the ORM checks between steps
    # are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SITE_URL = live_server.url
    editor = factories.editor_factory(email="edna.editor@example.org")
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    section = factories.SectionFactory(name="Climate", slug="climate")
    photo = factories.ImageFactory()
    stories = [
        factories.article_published(
            by=editor, section=section, headline=f"Story {n} of the week", lead_image=photo
        )
        for n in range(WALL_AFTER + 1)
    ]
    journey = Journey(artifacts)
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            reader = browser.new_context(viewport=DESKTOP).new_page()

            # An anonymous reader reads their free articles; the nudge shows from the third.
            for n, story in enumerate(stories[:WALL_AFTER], start=1):
                assert reader.goto(live_server.url + story.get_absolute_url()).status == 200
                expect(reader.locator("[data-paywall=wall]")).to_have_count(0)
                if n == 3:
                    expect(reader.locator("[data-paywall=nudge]")).to_have_attribute(
                        "data-reads", "3"
                    )
                    journey.record(reader, "article-with-nudge")

            # The eleventh is walled after its lead.
            walled = stories[WALL_AFTER]
            reader.goto(live_server.url + walled.get_absolute_url())
            wall = reader.locator("[data-paywall=wall]")
            expect(wall).to_have_attribute("data-reads", str(WALL_AFTER))
            expect(reader.locator("[data-article-body] p")).to_have_count(2)
            journey.record(reader, "wall")

            # Registering from the wall brings the reader back to the whole story.
            wall.get_by_role("link", name=re.compile("register", re.I)).click()
            reader.wait_for_url(re.compile(r"/accounts/signup/"))
            journey.record(reader, "signup")
            reader.fill("#id_email", READER_EMAIL)
            reader.fill("#id_password1", READER_PASSWORD)
            reader.fill("#id_password2", READER_PASSWORD)
            reader.locator("form:has(#id_password2) [type=submit]").click()
            reader.wait_for_url(re.compile(r"/accounts/confirm-email/"))
            journey.record(reader, "signup-code")
            verification = mail_to(smtp_sink, READER_EMAIL, "confirm your email")
            reader.fill("[name=code]", code_in(text_of(verification)))
            reader.get_by_role("button", name="Confirm").click()
            reader.wait_for_url(live_server.url + walled.get_absolute_url())
            expect(reader.locator("[data-paywall=wall]")).to_have_count(0)
            expect(reader.locator("[data-article-body] p").last).to_be_visible()
            assert reader.locator("[data-article-body] p").count() > 2
            journey.record(reader, "back-on-the-full-story")

            # Alerts: one click in the footer box, the reader's address being verified.
            box = reader.locator("[data-paywall=alerts-signup]")
            box.get_by_role("button").click()
            journey.record(reader, "alerts-confirmed")
            subscriber = Subscriber.objects.get(email=READER_EMAIL)
            assert subscriber.state == Subscriber.State.CONFIRMED

            # An editor signs in, uploads a photo, writes and publishes a breaking story.
            admin = browser.new_context(viewport=ADMIN).new_page()
            staff_sign_in(admin, live_server.url, editor)
            journey.record(admin, "admin-home", axe=False)

            admin.goto(live_server.url + "/admin/articles/image/add/")
            admin.set_input_files(
                "#id_file", {"name": "flood.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
            )
            admin.fill("#id_alt_text", "Sandbags stacked along the flood barrier at dusk")
            admin.fill("#id_caption", "The barrier on the east bank, hours before the peak.")
            admin.fill("#id_credit", "Newsroom staff")
            admin.locator("[name=_save]").click()
            expect(admin.locator(".messagelist .success")).to_have_count(1)

            admin.goto(live_server.url + "/admin/articles/article/add/")
            admin.fill("#id_kicker", "update desk")
            select2_pick(admin, "section", "Climate")
            admin.fill("#id_headline", HEADLINE)
            admin.fill("#id_dek", "Engineers say the new wall kept the old town dry.")
            editor_box = admin.locator(".field-body [contenteditable=true]")
            editor_box.click()
            editor_box.type("The river crested at midnight, half a metre under the barrier.")
            editor_box.press("Enter")
            editor_box.type("Residents who left on Tuesday may return from noon.")
            select2_pick(admin, "lead_image", "east bank")
            admin.check("#id_is_breaking")
            admin.select_option("#id_workflow", "publish")
            journey.record(admin, "admin-article-written", axe=False)
            admin.locator("[name=_continue]").click()
            expect(admin.locator(".messagelist .success")).to_have_count(1)
            article = Article.objects.get(headline=HEADLINE)
            assert article.is_live() and article.is_breaking
            assert article.lead_image.alt_text.startswith("Sandbags")

            # The alert: a confirmation with the audience, then sent once.
            admin.get_by_role("link", name="Send breaking alert").click()
            expect(admin.locator("[data-alert-recipients]")).to_have_attribute(
                "data-alert-recipients", "1"
            )
            journey.record(admin, "admin-alert-confirm", axe=False)
            admin.locator("#content-main form [type=submit]").click()
            journey.record(admin, "admin-alert-progress", axe=False)

            # The email reaches the SMTP server, ready for one-click unsubscribe.
            alert = mail_to(smtp_sink, READER_EMAIL, HEADLINE)
            assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert "/alerts/unsubscribe/" in alert["List-Unsubscribe"]
            assert {p.get_content_type() for p in alert.walk()} >= {"text/plain", "text/html"}

            reader.goto(live_server.url + article.get_absolute_url())
            expect(reader.locator("h1")).to_have_text(HEADLINE)
            journey.record(reader, "breaking-story")

            # The reader leaves with one click on the email's link.
            reader.goto(link_in(alert, r"/alerts/unsubscribe/"))
            journey.record(reader, "unsubscribe")
            reader.locator("main form [type=submit]").click()
            journey.record(reader, "unsubscribed")
            subscriber.refresh_from_db()
            assert subscriber.state == Subscriber.State.UNSUBSCRIBED
        finally:
            browser.close()
            # The ORM's calls inside Playwright's event loop had a connection of their own;
            # left open, it would keep the test database from being dropped.
            connections.close_all()

    assert journey.violations == {}
