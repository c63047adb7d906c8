import pytest

from articles.body import body_split
from articles.sanitize import sanitize_body


def test_lead_is_the_first_two_top_level_paragraphs_with_what_precedes_them():
    html = (
        "<h2>Intro</h2><p>One <strong>bold</strong></p>\n"
        "<blockquote><p>Quoted</p></blockquote><p>Two<br>lines</p><p>Three</p><ul><li>x</li></ul>"
    )
    parts = body_split(html)
    assert parts.lead == (
        "<h2>Intro</h2><p>One <strong>bold</strong></p>\n<blockquote><p>Quoted</p></blockquote>"
    )
    assert parts.rest == "<p>Two<br>lines</p><p>Three</p><ul><li>x</li></ul>"


def test_a_two_paragraph_story_keeps_its_second_back():
    parts = body_split("<p>One.</p><p>Two.</p>")
    assert parts.lead == "<p>One.</p>" and parts.rest == "<p>Two.</p>"


@pytest.mark.parametrize(
    "html",
    [
        "<p>Only one, SECRET.</p>",
        "<blockquote><p>Quoted</p><p>SECRET</p></blockquote>",
        "Typed without paragraphs<br>SECRET<br>SECRET",
        "<ul><li>SECRET</li><li>SECRET</li></ul>",
    ],
)
def test_a_one_paragraph_story_shows_a_walled_reader_none_of_its_text(html):
    parts = body_split(sanitize_body(html))
    assert parts.lead == "" and "SECRET" in parts.rest


@pytest.mark.parametrize(
    ("html", "lead"),
    [
        (
            "<p>Intro</p><ul><li>Point</li></ul><blockquote><p>SECRET</p></blockquote>",
            "<p>Intro</p><ul><li>Point</li></ul>",
        ),
        (
            "Loose &amp; text<h2>Head</h2><p>One</p><p>SECRET</p>",
            "Loose &amp; text<h2>Head</h2><p>One</p>",
        ),
        ("<p>One</p><pre>Two</pre><ol><li>SECRET</li></ol>", "<p>One</p><pre>Two</pre>"),
    ],
)
def test_lists_quotes_code_and_loose_text_count_as_paragraphs(html, lead):
    parts = body_split(sanitize_body(html))
    assert parts.lead == lead
    assert "SECRET" in parts.rest and "SECRET" not in parts.lead


@pytest.mark.parametrize(
    "empty",
    [
        "<p><br></p>",
        "<p></p>",
        "&nbsp;",
        "<br>",
        "<p>&nbsp;</p>",
        '<img src="https://e.org/a.jpg">',
    ],
)
def test_a_block_without_text_is_no_paragraph(empty):
    parts = body_split(sanitize_body(f"<p>SECRET one</p>{empty}"))
    assert parts.lead == ""
    parts = body_split(sanitize_body(f"<p>One</p><p>SECRET</p>{empty}"))
    assert parts.lead == "<p>One</p>" and "SECRET" in parts.rest


@pytest.mark.parametrize("line_break", ["\u2028", "\x0b", "\x0c", "\x85"])
def test_the_cut_lands_after_a_tag_whatever_breaks_the_lines(line_break):
    html = sanitize_body(
        f"<p>One{line_break}more</p>\n<p>Two <em>é</em> <a href='https://e.org/'>x</a></p>\n"
        "<p>SECRET</p>"
    )
    parts = body_split(html)
    assert parts.lead.endswith("</a></p>") and parts.rest == "<p>SECRET</p>"


def test_split_survives_entities_and_multiline_markup():
    html = "<p>Fish &amp; chips</p>\n\n<p>Second\nline &gt; here</p>\n<p>Third</p>"
    parts = body_split(html)
    assert parts.lead.endswith("line &gt; here</p>")
    assert parts.rest == "<p>Third</p>"
