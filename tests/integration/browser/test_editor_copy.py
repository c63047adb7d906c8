"""Copy is never lost or corrupted in the story editor, in headless Chromium under the
admin's real CSP: a clicked picture survives typing, a stale save is refused, an autosave
comes back after the page was closed, and what is pasted from Google Docs and Word comes in
clean. Screenshots go to test-artifacts/editor/."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from lxml import html as lxml_html

from articles.models import Article, ArticleAutosave
from tests import factories
from tests.integration.chromium import ADMIN, ARTIFACTS, chromium_launch, chromium_required

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "editor"
CLIPBOARD = Path(__file__).parent / "clipboard"
EDITOR = ".field-body [contenteditable=true]"
# What the browser does with a paste from another program: a paste event carrying its HTML.
PASTE = """([html, text]) => {
  const target = document.querySelector(".field-body [contenteditable=true]")
  target.focus()
  const data = new DataTransfer()
  data.setData("text/html", html)
  data.setData("text/plain", text)
  const init = {clipboardData: data, bubbles: true, cancelable: true}
  target.dispatchEvent(new ClipboardEvent("paste", init))
}"""


# True once the editor has the focus and the caret stands at the end of its last paragraph.
CARET_AT_END = """(selector) => {
  const editor = document.querySelector(selector)
  const selection = getSelection()
  const node = selection.focusNode
  return document.activeElement === editor && selection.isCollapsed && node !== null
    && editor.contains(node) && selection.focusOffset === node.textContent.length
    && [...editor.querySelectorAll("p")].at(-1).contains(node)
}"""


def new_last_paragraph(page) -> None:
    """Starts a paragraph after the last one, as a writer does: the click, then End once
    the editor has taken the focus and the click's caret (a key pressed before is lost)."""
    page.locator(f"{EDITOR} p").last.click()
    page.wait_for_function("(selector) => document.activeElement?.matches(selector)", arg=EDITOR)
    page.keyboard.press("End")
    page.wait_for_function(CARET_AT_END, arg=EDITOR)
    page.keyboard.press("Enter")


@pytest.fixture
def browser(monkeypatch):
    chromium_required()
    # Playwright's sync API runs an event loop in this thread; the ORM calls between steps
    # are plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


def signed_in(browser, live_server, user):
    """A browser of this staff member's, signed in as the admin's own login would leave it."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=ADMIN)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return context


def story_form(context, live_server, article):
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(EDITOR).wait_for()
    return page


def words(text: str) -> str:
    return " ".join(text.split())


def stored_body(article) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(
        Article.objects.get(pk=article.pk).body, create_parent=True
    )


def test_typing_after_a_clicked_picture_keeps_the_picture(browser, live_server, editor):
    photo = factories.ImageFactory()
    body = (
        "<p>The harbour at dawn.</p>"
        f'<figure><img src="{photo.file.url}" alt="Boats">'
        "<figcaption>Boats in</figcaption></figure>"
        f'<p>Middle.</p><img src="{photo.file.url}" alt="Quay"><p>End.</p>'
    )
    article = factories.article_create(by=editor, body=body)
    page = story_form(signed_in(browser, live_server, editor), live_server, article)
    pictures = page.locator(f"{EDITOR} img")
    pictures.nth(0).click()
    page.keyboard.type("Typed after the figure")
    pictures.nth(1).click()
    page.keyboard.type("Typed after the picture")
    page.keyboard.press("Enter")
    page.keyboard.type("And a second line")
    page.screenshot(path=str(SHOTS / "picture-kept-while-typing.png"), full_page=True)
    page.locator("[name=_continue]").click()
    page.locator(".messagelist .success").wait_for()

    saved = stored_body(article)
    assert [img.get("src") for img in saved.iter("img")] == [photo.file.url, photo.file.url]
    assert saved.xpath("//figure/figcaption")[0].text == "Boats in"
    blocks = [(el.tag, words(el.text_content())) for el in saved]
    assert blocks == [
        ("p", "The harbour at dawn."),
        ("figure", "Boats in"),
        ("p", "Typed after the figure"),
        ("p", "Middle."),
        ("img", ""),
        ("p", "Typed after the picture"),
        ("p", "And a second line"),
        ("p", "End."),
    ]


def test_a_stale_save_is_refused_and_nothing_is_lost(browser, live_server):
    writer = factories.writer_factory(first_name="Walt", last_name="Writer")
    editor = factories.editor_factory(first_name="Edna", last_name="Editor")
    article = factories.article_create(by=writer, headline="Ferry returns", body="<p>One.</p>")
    writers = story_form(signed_in(browser, live_server, writer), live_server, article)
    editors = story_form(signed_in(browser, live_server, editor), live_server, article)
    presence = editors.locator("[data-presence]")
    presence.wait_for()
    assert presence.inner_text().startswith("Also open by Walt Writer")

    editors.fill("#id_headline", "Ferry returns on Saturday")
    editors.locator("[name=_continue]").click()
    editors.locator(".messagelist .success").wait_for()

    new_last_paragraph(writers)
    writers.keyboard.type("A paragraph only the writer has.")
    writers.locator("[name=_continue]").click()
    refusal = writers.locator(".errornote, .errorlist.nonfield").last
    refusal.wait_for()
    writers.screenshot(path=str(SHOTS / "stale-save-refused.png"), full_page=True)

    page = writers.content()
    assert "Edna Editor saved this story" in page
    assert "“Ferry returns on Saturday”" in page
    assert writers.locator(".messagelist .success").count() == 0
    assert "A paragraph only the writer has." in writers.locator(EDITOR).inner_text()
    stored = Article.objects.get(pk=article.pk)
    assert stored.headline == "Ferry returns on Saturday"
    assert "only the writer" not in stored.body


def test_an_autosaved_draft_is_offered_back_after_the_page_is_closed(browser, live_server, editor):
    article = factories.article_create(by=editor, body="<p>Saved paragraph.</p>")
    context = signed_in(browser, live_server, editor)
    page = story_form(context, live_server, article)
    new_last_paragraph(page)
    page.keyboard.type("Typed, autosaved, never saved.")
    page.locator("[data-autosave-status=saved]").wait_for()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert asked == ["beforeunload"]
    assert "never saved" not in Article.objects.get(pk=article.pk).body
    assert ArticleAutosave.objects.filter(article=article, user=editor).count() == 1

    page = story_form(context, live_server, article)
    offer = page.locator(".messagelist .warning")
    assert "Your autosave of this story" in offer.inner_text()
    page.screenshot(path=str(SHOTS / "autosave-offered.png"), full_page=True)
    offer.locator("[data-autosave-restore]").click()
    page.locator(EDITOR).wait_for()
    assert "Typed, autosaved, never saved." in page.locator(EDITOR).inner_text()
    page.screenshot(path=str(SHOTS / "autosave-restored.png"), full_page=True)


def pasted(browser, live_server, editor, clipboard: str, *, shot: str) -> lxml_html.HtmlElement:
    """The body as saved after pasting the clipboard HTML into a new paragraph of a story."""
    article = factories.article_create(by=editor, body="<p>Start.</p>")
    page = story_form(signed_in(browser, live_server, editor), live_server, article)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    new_last_paragraph(page)  # a writer pastes a whole text into a new paragraph
    page.evaluate(PASTE, [clipboard, re.sub(r"<[^>]+>", " ", clipboard)])
    page.screenshot(path=str(SHOTS / f"pasted-{shot}.png"), full_page=True)
    page.locator("[name=_continue]").click()
    page.locator(".messagelist .success").wait_for()
    assert not [problem for problem in problems if "paste" in problem.lower()]
    return stored_body(article)


def blocks_of(saved) -> list[tuple[str, str]]:
    """Each top-level block and its text; a list's items' paragraphs, nested ones too."""

    def text(el):
        if el.tag in ("ul", "ol"):
            return " ".join(words(p.text_content()) for p in el.iter("p"))
        return words(el.text_content())

    return [(el.tag, text(el)) for el in saved]


def assert_clean(saved) -> None:
    markup = lxml_html.tostring(saved, encoding="unicode")
    assert not saved.xpath("//*[@style or @class or @id or @dir]"), markup
    assert not saved.xpath("//img | //table | //span | //b"), markup
    assert "o:p" not in markup and "Mso" not in markup and "·" not in markup


def test_a_google_docs_paste_keeps_its_structure_and_only_its_bold(browser, live_server, editor):
    clipboard = (CLIPBOARD / "google_docs.html").read_text()
    saved = pasted(browser, live_server, editor, clipboard, shot="google-docs")
    assert_clean(saved)
    assert blocks_of(saved) == [
        ("p", "Start."),
        ("h2", "Council votes to keep the night ferry"),
        ("p", "The vote was seven to two, after what one member called the longest evening "
              "of the year. The full minutes are on the council's site."),
        ("h3", "What changes for riders"),
        ("ul", "Last crossing at 01:30 Fares stay at £2.40 A review in spring"),
        ("ol", "Board the boat Tap your card"),
        ("p", "Route | Last boat"),
        ("p", "Harbour to Old Town | 01:30"),
        ("p", "Riders were told on Tuesday."),
    ]  # fmt: skip
    assert [words(b.text_content()) for b in saved.iter("strong")] == [
        "seven to two", "£2.40", "Route", "Last boat",
    ]  # fmt: skip
    assert [words(i.text_content()) for i in saved.iter("em")] == [
        "the longest evening of the year"
    ]
    assert saved.xpath("//a/@href") == ["https://council.example.org/minutes/2026-12-01"]
    assert len(saved.xpath("//ul/li")) == 3 and len(saved.xpath("//ol/li")) == 2


def test_a_word_paste_has_real_lists_headings_and_no_empty_picture(browser, live_server, editor):
    clipboard = (CLIPBOARD / "word.html").read_text()
    saved = pasted(browser, live_server, editor, clipboard, shot="word")
    assert_clean(saved)
    assert blocks_of(saved) == [
        ("p", "Start."),
        ("h2", "Flood barrier holds as the river peaks"),
        ("p", "The river crested at midnight, half a metre under the top of the barrier, and "
              "the old town stayed dry. Read the live river levels."),
        ("ul", "Sandbags along the east bank Two thousand of them, filled by volunteers "
               "Pumps running in the old town"),
        ("ol", "Leave by the north road Return from noon on Wednesday"),
        ("p", "Gauge | Peak"),
        ("p", "Old Bridge | 4.81 m"),
        ("p", "Engineers will inspect the wall on Friday."),
    ]  # fmt: skip
    top_items = saved.xpath("/*/ul/li")
    assert [words(li.xpath("string(p)")) for li in top_items] == [
        "Sandbags along the east bank", "Pumps running in the old town",
    ]  # fmt: skip
    assert [words(li.text_content()) for li in saved.xpath("//ul/li/ul/li")] == [
        "Two thousand of them, filled by volunteers"
    ]
    assert [words(b.text_content()) for b in saved.iter("strong")] == [
        "half a metre",
        "Gauge",
        "Peak",
    ]
    assert [words(i.text_content()) for i in saved.iter("em")] == ["old town"]
    assert saved.xpath("//a/@href") == ["https://river.example.org/levels"]


def test_a_web_page_paste_keeps_the_site_s_own_pictures_only(browser, live_server, editor):
    photo = factories.ImageFactory()
    clipboard = (
        '<meta charset="utf-8"><article class="story"><h2 class="headline">From the wire</h2>'
        '<figure class="lead"><img src="https://cdn.other.example/photo.jpg" alt="Theirs">'
        '<figcaption class="credit">Their caption</figcaption></figure>'
        f'<p class="lede">A paragraph.</p><figure><img src="{photo.file.url}" alt="Ours">'
        "<figcaption>Our caption</figcaption></figure></article>"
    )
    saved = pasted(browser, live_server, editor, clipboard, shot="web-page")
    assert blocks_of(saved) == [
        ("p", "Start."),
        ("h3", "From the wire"),
        ("p", "Their caption"),
        ("p", "A paragraph."),
        ("figure", "Our caption"),
    ]
    assert saved.xpath("//img/@src") == [photo.file.url]
    assert not saved.xpath("//*[@class]")
