import pytest
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
