from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html

from articles.search import article_search
from tests import factories

pytestmark = pytest.mark.django_db


def results(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return html.fromstring(response.content)


def test_fallback_matches_headline_and_dek(client, editor, section):
    factories.article_published(by=editor, section=section, headline="Harbour bridge reopens")
    factories.article_published(by=editor, section=section, dek="The harbour authority agreed.")
    factories.article_published(by=editor, section=section, headline="Unrelated")
    doc = results(client, "harbour")
    assert len(doc.cssselect(".story-list article.teaser")) == 2
    assert not results(client, "").cssselect("article.teaser")


def test_search_page_escapes_the_query(client):
    doc = results(client, "<script>alert(1)</script>")
    assert not doc.xpath("//script[not(@type='application/ld+json')]")
    assert "<script>alert(1)</script>" in doc.xpath("//h1")[0].text_content()


def test_full_text_ranks_and_highlights_headline_and_dek_only(postgres, client, editor, section):
    in_body = factories.article_published(
        by=editor,
        section=section,
        headline="A quiet week",
        body="<p>Volcanoes</p><p>two</p><p>The volcano rumbled: gated-secret.</p>",
    )
    in_headline = factories.article_published(
        by=editor, section=section, headline="Volcano erupts near <the> village"
    )
    factories.article_create(by=editor, section=section, headline="Volcano draft")
    found = list(article_search("volcano"))
    assert found == [in_headline, in_body]
    assert found[0].headline_marked.count("\x02") == 1
    doc = results(client, "volcano")
    marks = [m.text_content() for m in doc.cssselect(".story-list mark")]
    assert marks == ["Volcano"]
    assert "Volcano erupts near <the> village" in doc.text_content()
    assert "gated-secret" not in doc.text_content() and "Volcano draft" not in doc.text_content()


WALLED_STORY = {
    "headline": "Council budget passes after a long night",
    "dek": "The vote came just before dawn.",
    "body": (
        "<p>Councillors met at six.</p><p>The debate ran for nine hours.</p>"
        "<p>A memo names the quetzalcoatlus treasury as the lender behind the deal.</p>"
        "<p>The mayor declined to comment on the lender.</p>"
    ),
}
# The text a reader past the wall never gets, less the words they typed themselves.
GATED_TEXT = ["A memo names the", "as the lender behind the deal", "mayor declined to comment"]


@pytest.mark.django_db
def test_a_walled_reader_learns_only_that_a_story_has_a_word_in_its_body(client, editor, section):
    """The body is searched (PostgreSQL and SQLite alike), so a walled reader finds a story by
    a phrase of its gated part, and so learns that the story holds the phrase; the results
    show headline and dek only, highlighted only there."""
    for _n in range(10):
        client.get(factories.article_published(by=editor, section=section).get_absolute_url())
    story = factories.article_published(by=editor, section=section, **WALLED_STORY)
    assert 'data-paywall="wall"' in client.get(story.get_absolute_url()).content.decode()
    doc = results(client, "quetzalcoatlus treasury")
    teasers = doc.cssselect(".story-list article.teaser")
    assert len(teasers) == 1
    link = teasers[0].cssselect(".teaser-headline a")[0]
    assert link.get("href") == story.get_absolute_url()
    assert link.text_content() == story.headline
    assert teasers[0].cssselect(".dek")[0].text_content() == story.dek
    assert not doc.cssselect(".story-list mark")
    text = html.tostring(doc, encoding="unicode")
    assert not [gated for gated in GATED_TEXT if gated in text]


@pytest.mark.parametrize(("recent", "this_year"), [(3, 0), (1, 3), (1, 1), (2, 0)])
def test_the_newest_matches_are_ranked_wherever_they_are_found_first(
    postgres, editor, section, monkeypatch, recent, this_year
):
    """Only the newest SEARCH_RANKED matches are ranked; looking in the last 90 days, then
    the last year, first changes nothing of which they are."""
    monkeypatch.setattr("articles.search.SEARCH_RANKED", 3)
    now = timezone.now()
    ages = [timedelta(days=10 * n) for n in range(recent)]
    ages += [timedelta(days=100 + 10 * n) for n in range(this_year)]
    ages += [timedelta(days=400 + 30 * n) for n in range(3)]
    stories = [
        factories.article_published(
            by=editor, section=section, headline=f"Ferry timetable {n}", now=now - age
        )
        for n, age in enumerate(ages)
    ]
    factories.article_published(by=editor, section=section, headline="Unrelated", now=now)
    found = list(article_search("ferry", now=now))
    # The best in relevance over 1 + age: all match alike, so the newest first.
    assert found == stories[:3]
