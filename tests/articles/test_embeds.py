"""The one rule for an address alone on its line, what the body keeps of an embed, and what
readers get of it."""

import pytest
from django.core.checks import run_checks
from lxml import html as lxml_html

from articles.curation import newsroom_page_save
from articles.embeds import embed_for, embeds_render, url_line_html
from articles.models import NewsroomPage
from articles.sanitize import sanitize_body


@pytest.mark.parametrize(
    ("url", "provider", "player"),
    [
        (
            "https://www.youtube.com/watch?v=M7lc1UVf-VE",
            "youtube",
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1",
        ),
        (
            "https://youtu.be/M7lc1UVf-VE?t=42",
            "youtube",
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1",
        ),
        (
            "https://m.youtube.com/watch?feature=share&v=M7lc1UVf-VE",
            "youtube",
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1",
        ),
        (
            "https://www.youtube.com/shorts/M7lc1UVf-VE",
            "youtube",
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1",
        ),
        (
            "https://vimeo.com/76979871",
            "vimeo",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
        ),
        (
            "https://x.com/newsroom/status/1460323737035677698",
            "x",
            "https://platform.twitter.com/embed/Tweet.html?id=1460323737035677698&dnt=true",
        ),
        (
            "https://twitter.com/newsroom/status/20",
            "x",
            "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true",
        ),
    ],
)
def test_allow_listed_addresses_are_embeds_with_a_privacy_friendly_player(url, provider, player):
    embed = embed_for(url)
    assert (embed.provider.name, embed.player_url) == (provider, player)
    assert url_line_html(url).startswith(f'<figure data-embed="{provider}"><a href="')


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=M7lc1UVf-VE",  # not over HTTPS
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com.evil.example/watch?v=M7lc1UVf-VE",
        "https://evil.example/https://youtu.be/M7lc1UVf-VE",
        "https://vimeo.com/channels/staffpicks",
        "https://x.com/newsroom",
        "https://example.org/report",
        "https://youtu.be/M7lc1UVf-VE extra words",
    ],
)
def test_other_addresses_stay_links(url):
    assert embed_for(url) is None
    assert url_line_html(url).startswith("<p><a href=")


HOSTILE_EMBEDS = [
    '<iframe src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"></iframe>',
    '<figure data-embed="youtube"><iframe src="https://evil.example"></iframe></figure>',
    '<figure data-embed="youtube" data-embed-player="https://evil.example/" onload="alert(1)">'
    '<a href="https://www.youtube.com/watch?v=M7lc1UVf-VE">x</a></figure>',
    '<figure data-embed="youtube"><a href="javascript:alert(1)">x</a></figure>',
    '<figure data-embed="vimeo"><a href="https://evil.example/watch?v=M7lc1UVf-VE">x</a></figure>',
    '<figure data-embed="evil"><a href="https://youtu.be/M7lc1UVf-VE">x</a></figure>',
    '<figure data-embed="x"><figure data-embed="x"><a href="https://x.com/a/status/1">x</a>'
    "</figure><script>alert(1)</script></figure>",
    '<figure data-embed="youtube"><a href="https://youtu.be/M7lc1UVf-VE" '
    'style="position:fixed">"><img src=x onerror=alert(1)></a></figure>',
    '<p><a href="https://youtu.be/M7lc1UVf-VE" data-embed-player="https://evil.example">v</a></p>',
]


@pytest.mark.parametrize("payload", HOSTILE_EMBEDS)
def test_no_hostile_embed_survives_and_readers_get_no_frame_from_it(payload):
    kept = sanitize_body(payload)
    assert sanitize_body(kept) == kept
    for marker in ("<iframe", "javascript:", "onload", "onerror", "style=", "data-embed-player"):
        assert marker not in kept.lower()
    rendered = lxml_html.fragment_fromstring(embeds_render(kept) or "<p></p>", create_parent=True)
    assert not rendered.xpath("//iframe")
    # An address not of a provider's is at most a link; a player is made from a provider's.
    assert not rendered.xpath("//figure[contains(@data-embed-player, 'evil')]")
    for figure in rendered.xpath("//figure[@data-embed-player]"):
        assert embed_for(figure.xpath(".//a/@href")[0]).player_url == figure.get(
            "data-embed-player"
        )


def test_an_embed_is_kept_as_the_editor_stores_it_and_read_again_from_its_link():
    stored = (
        '<figure data-embed="youtube"><a href="https://youtu.be/M7lc1UVf-VE">watch</a></figure>'
    )
    kept = sanitize_body(stored)
    assert kept == (
        '<figure data-embed="youtube"><a href="https://youtu.be/M7lc1UVf-VE" '
        'rel="noopener noreferrer">https://youtu.be/M7lc1UVf-VE</a></figure>'
    )
    figure = lxml_html.fragment_fromstring(embeds_render(kept))
    assert figure.get("data-embed-player").startswith("https://www.youtube-nocookie.com/embed/")
    assert figure.xpath(".//a[@class='embed-still']/@href") == ["https://youtu.be/M7lc1UVf-VE"]
    assert figure.xpath(".//figcaption/a/@href") == ["https://youtu.be/M7lc1UVf-VE"]
    assert figure.xpath(".//img/@src")[0].startswith("/static/")  # our own still


def test_a_player_the_csp_leaves_out_is_a_startup_error(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "frame-src": ["https://www.youtube-nocookie.com"]}
    }
    errors = [error for error in run_checks() if error.id == "articles.E001"]
    assert errors and "https://player.vimeo.com" in errors[0].msg


@pytest.mark.django_db
def test_a_newsroom_page_plays_its_embeds_like_a_story(client):
    page = NewsroomPage.objects.get(slug="about")
    page.body = "<p>Who we are.</p>" + url_line_html("https://vimeo.com/76979871")
    newsroom_page_save(page=page)
    doc = lxml_html.fromstring(client.get(page.get_absolute_url()).content)
    (figure,) = doc.cssselect(".article-body figure.embed")
    player = "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"
    assert figure.get("data-embed-player") == player
    assert [s.get("src") for s in doc.xpath("//script[@src]")] == ["/static/js/embeds.js"]


@pytest.mark.django_db
def test_a_story_without_embeds_loads_no_script(client, published_article):
    doc = lxml_html.fromstring(client.get(published_article.get_absolute_url()).content)
    assert not doc.xpath("//script[@src]")
