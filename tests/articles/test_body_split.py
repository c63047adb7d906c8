from articles.body import body_split


def test_lead_is_everything_up_to_the_second_top_level_paragraph():
    html = (
        "<h2>Intro</h2><p>One <strong>bold</strong></p>\n"
        "<blockquote><p>Quoted</p></blockquote><p>Two<br>lines</p><p>Three</p><ul><li>x</li></ul>"
    )
    parts = body_split(html)
    assert parts.lead == (
        "<h2>Intro</h2><p>One <strong>bold</strong></p>\n"
        "<blockquote><p>Quoted</p></blockquote><p>Two<br>lines</p>"
    )
    assert parts.rest == "<p>Three</p><ul><li>x</li></ul>"


def test_short_body_is_all_lead():
    parts = body_split("<p>Only one.</p>")
    assert parts.lead == "<p>Only one.</p>" and parts.rest == ""


def test_split_survives_entities_and_multiline_markup():
    html = "<p>Fish &amp; chips</p>\n\n<p>Second\nline &gt; here</p>\n<p>Third</p>"
    parts = body_split(html)
    assert parts.lead.endswith("line &gt; here</p>")
    assert parts.rest == "<p>Third</p>"
