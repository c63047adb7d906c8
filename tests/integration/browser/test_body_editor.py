"""Headless Chromium in the body editor and on the story it makes: a writer uploads pictures
from the editor (the button, a dropped file, a pasted one), with alt text required, and the
reader gets them with renditions; an address alone on its line becomes an embed that plays
only when clicked, and whose link works without script or with the player blocked; the
writer sees the word count as they type, spell-check on, the toolbar in view down a long
story, and no icon the toolbar's font lacks. Screenshots go to the test artifacts."""

import io
import json
from urllib.parse import urlsplit

import pytest
from django.db import connections
from PIL import Image as PILImage

from articles import services
from articles.models import Article, Image
from tests import factories
from tests.integration.chromium import (
    ADMIN,
    DESKTOP,
    chromium_launch,
    chromium_required,
    serious_violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = "https://www.youtube.com/watch?v=M7lc1UVf-VE"
PLAYER = "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1"
CLIP = "https://vimeo.com/76979871"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
BODY = ".field-body [contenteditable=true]"


@pytest.fixture
def chromium(monkeypatch):
    """Chromium, with the ORM usable between steps (Playwright's sync API runs an event loop
    in this thread), and the connections its calls opened closed after."""
    chromium_required(axe=True)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


def png(width=1400, height=900) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (40, 110, 70)).save(out, "PNG")
    return out.getvalue()


def sign_in(context, base_url, user):
    """Staff sign in through the site's login, with a confirmed address."""
    factories.email_confirm(user)
    page = context.new_page()
    page.goto(base_url + "/admin/")
    page.fill("[name=login]", user.email)
    page.fill("[name=password]", "correct-horse-battery")
    page.locator("form:has([name=password]) [type=submit]").click()
    page.wait_for_url(base_url + "/admin/")
    return page


def story_form(page, base_url, section):
    """A new story's form, filled but for the body."""
    page.goto(base_url + "/admin/articles/article/add/")
    page.locator("#id_section + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(section.name)
    page.locator(".select2-results__option", has_text=section.name).first.click()
    page.fill("#id_headline", "Harbour wall rebuilt after the winter storms")
    page.fill("#id_dek", "The new wall is a metre higher than the old one.")
    body = page.locator(BODY)
    body.click()
    return body


def external_requests(context) -> list[str]:
    """Every request for another host is answered here, never by the network, and noted."""
    asked: list[str] = []

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>provider</p>")

    context.route(lambda url: urlsplit(url).hostname not in LOCAL_HOSTS, answer)
    return asked


def give_file(page, selector: str, event: str, data: bytes, name: str) -> None:
    """Drop or paste a file on the editor, as the browser hands one over."""
    page.evaluate(
        """([selector, event, bytes, name]) => {
            const target = document.querySelector(selector)
            const transfer = new DataTransfer()
            transfer.items.add(new File([new Uint8Array(bytes)], name, {type: "image/png"}))
            const box = target.querySelector("p").getBoundingClientRect()
            const init = {bubbles: true, cancelable: true, clientX: box.left + 5,
                          clientY: box.top + box.height / 2}
            target.dispatchEvent(event === "paste"
                ? new ClipboardEvent("paste", {...init, clipboardData: transfer})
                : new DragEvent("drop", {...init, dataTransfer: transfer}))
        }""",
        [selector, event, list(data), name],
    )


def paste_text(page, text: str) -> None:
    page.evaluate(
        """([selector, text]) => {
            const transfer = new DataTransfer()
            transfer.setData("text/plain", text)
            document.querySelector(selector).dispatchEvent(new ClipboardEvent(
                "paste", {bubbles: true, cancelable: true, clipboardData: transfer}))
        }""",
        [BODY, text],
    )


def fill_picture_dialog(page, alt: str, caption: str = "", credit: str = "") -> None:
    dialog = page.locator("dialog.body-picture-dialog")
    dialog.locator("[name=alt_text]").fill(alt)
    dialog.locator("[name=caption]").fill(caption)
    dialog.locator("[name=credit]").fill(credit)
    dialog.locator("[type=submit]").click()
    dialog.wait_for(state="detached")


def test_pictures_uploaded_from_the_editor_reach_readers_with_renditions(
    live_server, section, editor, artifacts, chromium
):
    writer = factories.writer_factory(email="wren.writer@example.org")
    from playwright.sync_api import expect

    context = chromium.new_context(viewport=ADMIN)
    page = sign_in(context, live_server.url, writer)
    body = story_form(page, live_server.url, section)
    body.type("The harbour wall was finished on Friday.")
    body.press("Enter")
    body.type("Divers checked its footings at low tide.")
    body.press("Enter")

    # The toolbar's button: alt text is required before anything is uploaded.
    page.locator(".prose-menubar [data-name=bodyPictureUpload]").click()
    dialog = page.locator("dialog.body-picture-dialog")
    dialog.locator("[name=file]").set_input_files(
        {"name": "wall.png", "mimeType": "image/png", "buffer": png()}
    )
    dialog.locator("[name=caption]").fill("The new wall at high tide.")
    dialog.locator("[type=submit]").click()
    assert dialog.locator("[name=alt_text]").evaluate("el => !el.validity.valid")
    assert Image.objects.count() == 0
    page.screenshot(path=str(artifacts / "editor-picture-dialog.png"))
    fill_picture_dialog(
        page, "The harbour wall at high tide", "The new wall at high tide.", "Port office"
    )
    expect(body.locator("figure img")).to_have_count(1)

    # A file dropped on the text, then one pasted into it.
    give_file(page, BODY, "drop", png(800, 600), "dropped.png")
    fill_picture_dialog(page, "Divers at the footings")
    body.press("End")
    give_file(page, BODY, "paste", png(640, 480), "pasted.png")
    fill_picture_dialog(page, "The quay before the storm", "Before the storm.")
    expect(body.locator("figure img")).to_have_count(3)
    page.screenshot(path=str(artifacts / "editor-pictures.png"), full_page=True)
    page.locator("[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)

    article = Article.objects.get()
    # Dropped on a line of text, the picture went beside it, not into it.
    assert "<p>The harbour wall was finished on Friday.</p>" in article.body
    pictures = {image.alt_text: image for image in Image.objects.all()}
    assert set(pictures) == {
        "The harbour wall at high tide",
        "Divers at the footings",
        "The quay before the storm",
    }
    assert all(image.uploaded_by == writer for image in pictures.values())
    assert all(image.renditions.exists() for image in pictures.values())
    assert set(article.body_images.all()) == set(pictures.values())
    services.article_publish(article=article, by=editor)

    reader = chromium.new_context(viewport=DESKTOP).new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    shown = reader.locator("[data-article-body] figure.body-picture")
    expect(shown).to_have_count(3)
    wall = pictures["The harbour wall at high tide"]
    first = shown.filter(has=reader.locator(f'img[alt="{wall.alt_text}"]'))
    img = first.locator("picture img")
    assert img.get_attribute("alt") == "The harbour wall at high tide"
    assert (img.get_attribute("width"), img.get_attribute("height")) == ("1400", "900")
    assert "1280w" in img.get_attribute("srcset") and img.get_attribute("sizes")
    webp = first.locator("picture source[type='image/webp']").get_attribute("srcset")
    assert "640w" in webp and "/media/renditions/" in webp
    assert first.locator("figcaption .credit").inner_text() == "Port office"
    assert wall.caption in first.locator("figcaption").inner_text()
    first.scroll_into_view_if_needed()
    expect(img).to_have_js_property("complete", True)
    assert img.evaluate("el => el.naturalWidth") > 0  # a rendition was served
    reader.screenshot(path=str(artifacts / "reader-body-pictures.png"), full_page=True)
    assert serious_violations(reader) == []


def test_an_embed_plays_only_when_clicked_and_its_link_works_without_it(
    live_server, section, editor, artifacts, chromium
):
    from playwright.sync_api import expect

    context = chromium.new_context(viewport=ADMIN)
    page = sign_in(context, live_server.url, editor)
    body = story_form(page, live_server.url, section)
    body.type("The storm reached the coast at dawn.")
    body.press("Enter")
    body.type(VIDEO)  # an allow-listed provider's address, alone on its line
    body.press("Enter")
    body.type("https://example.org/report")  # any other stays a link
    body.press("Enter")
    body.type("Crews worked through the night.")
    body.press("Enter")
    paste_text(page, CLIP)  # pasted into an empty line
    expect(body.locator("figure.body-embed")).to_have_count(2)
    page.screenshot(path=str(artifacts / "editor-embed.png"), full_page=True)
    page.select_option("#id_workflow", "publish")
    page.locator("[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    # The form, loaded again from what was stored, shows the embed as it was made.
    expect(body.locator("figure.body-embed .body-embed-url")).to_have_text([VIDEO, CLIP])
    article = Article.objects.get()
    assert f'<figure data-embed="youtube"><a href="{VIDEO}"' in article.body
    assert f'<figure data-embed="vimeo"><a href="{CLIP}"' in article.body
    assert "example.org/report" in article.body and article.body.count("<figure") == 2

    reader_context = chromium.new_context(viewport=DESKTOP)
    asked = external_requests(reader_context)
    reader = reader_context.new_page()
    response = reader.goto(live_server.url + article.get_absolute_url())
    csp = response.headers["content-security-policy"]
    assert "frame-src https://www.youtube-nocookie.com" in csp
    embed = reader.locator("figure.embed[data-embed=youtube]")
    play = embed.locator("button.embed-still")
    expect(play).to_have_attribute("aria-label", "Play the YouTube video here")
    embed.scroll_into_view_if_needed()
    reader.wait_for_load_state("networkidle")
    assert asked == []  # nothing reaches the provider before the click
    reader.screenshot(path=str(artifacts / "reader-embed-still.png"), full_page=True)
    assert serious_violations(reader) == []
    with reader.expect_request(PLAYER):
        play.click()
    expect(embed.locator("iframe")).to_have_attribute("src", PLAYER)
    assert [urlsplit(url).hostname for url in asked] == ["www.youtube-nocookie.com"]
    assert embed.locator("figcaption a").is_visible()  # if the player is blocked
    reader.screenshot(path=str(artifacts / "reader-embed-playing.png"), full_page=True)
    reader_context.close()

    # A player the reader's browser blocks: the frame stays empty, the link is still there.
    blocked = chromium.new_context(viewport=DESKTOP)
    blocked.route(
        "https://www.youtube-nocookie.com/**", lambda route: route.abort("blockedbyclient")
    )
    reader = blocked.new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    reader.locator("figure.embed[data-embed=youtube] button.embed-still").click()
    fallback = reader.locator("figure.embed[data-embed=youtube] figcaption a")
    expect(fallback).to_be_visible()
    assert fallback.get_attribute("href") == VIDEO
    reader.screenshot(path=str(artifacts / "reader-embed-blocked.png"), full_page=True)
    blocked.close()

    without_script = chromium.new_context(viewport=DESKTOP, java_script_enabled=False)
    asked = external_requests(without_script)
    reader = without_script.new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    link = reader.locator("figure.embed[data-embed=youtube] a.embed-still")
    assert link.get_attribute("href") == VIDEO and asked == []
    reader.screenshot(path=str(artifacts / "reader-embed-no-script.png"), full_page=True)
    link.click()
    reader.wait_for_url(VIDEO)
    assert asked == [VIDEO]


def test_the_writers_aids_count_check_spelling_and_stay_in_view(
    live_server, section, artifacts, chromium
):
    writer = factories.writer_factory(email="wren.writer@example.org")
    paragraph = "<p>Paragraph {} of a long story, told at length.</p>"
    long_story = "".join(paragraph.format(n) for n in range(80))
    article = factories.article_create(by=writer, section=section, body=long_story)
    from playwright.sync_api import expect

    context = chromium.new_context(viewport=ADMIN)
    page = sign_in(context, live_server.url, writer)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    counts = page.locator(".field-body .body-counts")
    expect(counts).to_have_attribute("data-words", str(80 * 9))
    assert "min read" in counts.inner_text()
    prose = page.locator(BODY)
    assert prose.get_attribute("spellcheck") == "true"
    prose.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.type(" Two more.")
    expect(counts).to_have_attribute("data-words", str(80 * 9 + 2))
    expect(counts).to_have_attribute("data-minutes", "3")

    # Down the story, the toolbar is still at the top of the window.
    prose.locator("p").nth(60).scroll_into_view_if_needed()
    toolbar = page.locator(".field-body .prose-menubar").first
    box = toolbar.bounding_box()
    assert 0 <= box["y"] <= 5, box
    assert prose.bounding_box()["y"] < -500
    page.screenshot(path=str(artifacts / "editor-long-story.png"))

    # Every icon is a glyph of the toolbar's font (a missing one shows its name), and
    # what the styles write around the buttons is plain text any font has.
    widths = page.evaluate(
        """async () => {
            await document.fonts.ready
            return [...document.querySelectorAll(".prose-menubar .material-icons")]
                .filter((el) => el.offsetParent)
                .map((el) => [el.textContent, el.scrollWidth])
        }"""
    )
    assert widths and all(width <= 36 for _name, width in widths), json.dumps(widths)
    generated = page.evaluate(
        """() => [...document.querySelectorAll(".prose-menubar, .prose-menubar *")]
            .flatMap((el) => ["::before", "::after"].map(
                (where) => getComputedStyle(el, where).content))
            .filter((content) => content !== "none" && content !== "normal")"""
    )
    assert all(content.isascii() for content in generated), generated
