"""import_ghost on a small Ghost 5 export with the odd cases (exports/ghost.json)."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Author, NewsroomPage, Status

from .conftest import EXPORTS, picture_bytes

EXPORT = EXPORTS / "ghost.json"


@pytest.fixture
def ghost_media(tmp_path):
    """A copy of Ghost's content/images."""
    folder = tmp_path / "images"
    (folder / "2021" / "05").mkdir(parents=True)
    (folder / "2021" / "05" / "lead.png").write_bytes(picture_bytes())
    (folder / "2021" / "05" / "ruth.png").write_bytes(picture_bytes((80, 80)))
    return folder


@pytest.fixture
def imported(db, ghost_media, run_import):
    return run_import("import_ghost", EXPORT, "--media-dir", str(ghost_media))


def story(slug: str) -> Article:
    return Article.objects.get(slug=slug)


def test_a_post_comes_across_with_primary_tag_bylines_and_lead_picture(imported):
    article = story("rail-strike")
    assert article.headline == "Rail strike & chaos"
    assert article.dek == "Trains stop on Friday."
    assert article.section.slug == "transport"  # the primary tag; internal tags left out
    assert [tag.slug for tag in article.tags.all()] == ["unions"]
    assert [a.slug for a in article.authors.order_by("bylines__position")] == ["sam", "ruth"]
    assert article.publish_at == datetime.datetime(2021, 5, 4, 10, tzinfo=datetime.UTC)
    assert article.status == Status.PUBLISHED and not article.alert_at_go_live
    lead = article.lead_image
    assert (lead.alt_text, lead.caption) == ("Strikers at the gate", "Photo: Dana")


def test_users_become_authors_with_bio_and_picture(imported):
    ruth = Author.objects.get(slug="ruth")
    assert (ruth.name, ruth.bio) == ("Ruth Editor", "Covers transport.")
    assert (ruth.photo.width, ruth.photo.height) == (80, 80)
    assert Author.objects.get(slug="sam").photo is None


def test_html_bodies_keep_one_h1_and_frames_become_embeds(imported):
    body = story("rail-strike").body
    assert "<h1" not in body and "<h2>Talks</h2>" in body
    assert "<iframe" not in body
    assert (
        '<figure data-embed="youtube"><a href="https://www.youtube.com/embed/strike-2021"' in body
    )
    assert "kg-embed-card" not in body and body.count("<figure") == 2
    assert "__GHOST_URL__" not in body and 'src="/media/images/' in body


def test_a_lexical_document_is_rendered(imported):
    body = story("late-again").body
    assert body.startswith("<p>Trains are <strong>late</strong> again, says <a href=")
    assert "<em>the report</em></a>.</p>" in body
    assert "<h2>Why</h2><ul><li>Signals<ol><li>Old ones</li></ol></li><li>Staff</li></ul>" in body
    assert "<blockquote>We are sorry.</blockquote>" in body
    assert 'alt="A platform"' in body and "<figcaption>Platform 2</figcaption>" in body
    embed = '<figure data-embed="youtube"><a href="https://www.youtube.com/watch?v=rail-2021-x"'
    assert embed in body
    assert "Subscribe" not in body
    assert "“Late again”: card “callout” not brought across" in imported


def test_a_mobiledoc_document_is_rendered(imported):
    body = story("line-reopens").body
    assert "The line <strong>reopens</strong> on Monday, <a href" in body
    assert "details</a><br>here.</p>" in body
    assert "<h2>Timetable</h2>\n<ul><li>Hourly</li><li>Faster</li></ul>" in body
    assert 'alt="Tracks"' in body and "<figcaption>The old line</figcaption>" in body
    assert '<figure data-embed="vimeo"><a href="https://vimeo.com/42"' in body
    assert "card “markdown” not brought across" in imported


def test_statuses_pages_and_the_odd_ones(imported):
    assert story("budget-day").status == Status.SCHEDULED
    assert story("half-written").status == Status.DRAFT
    assert story("untitled").headline == "A note without a title from the desk today."
    assert NewsroomPage.objects.get(slug="about-the-courier").title == "About the Courier"
    assert "for members only on Ghost" in imported
    assert "content/images/missing.png (its host is a loopback address)" in imported
    assert "Created: 2 authors, 1 pages, 7 stories" in imported


def test_old_addresses_move_and_the_same_file_again_changes_nothing(
    imported, ghost_media, run_import, client
):
    response = client.get("/rail-strike/")
    assert (response.status_code, response["Location"]) == (301, "/articles/rail-strike/")
    assert client.get("/about-the-courier/")["Location"] == "/pages/about-the-courier/"
    assert client.get("/rss/")["Location"] == "/feed/"
    assert client.get("/budget-day/").status_code == 404  # scheduled, not live yet
    again = run_import("import_ghost", EXPORT, "--media-dir", str(ghost_media))
    assert "Created: none" in again and "Unchanged: 1 pages, 7 stories" in again


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not readable JSON"), (json.dumps({"posts": []}), "not a Ghost export")],
)
def test_a_file_that_is_no_ghost_export_exits_2(db, tmp_path, content, message):
    export = tmp_path / "export.json"
    export.write_text(content)
    with pytest.raises(CommandError) as raised:
        call_command("import_ghost", str(export), stdout=io.StringIO())
    assert raised.value.returncode == 2 and message in str(raised.value)


def test_a_newer_export_updates_an_imported_page(imported, run_import, tmp_path):
    newer = tmp_path / "newer.json"
    newer.write_text(EXPORT.read_text().replace("Founded in 1901.", "Founded in 1901, in a barn."))
    report = run_import("import_ghost", newer)
    assert "Updated: 1 pages" in report
    assert "in a barn" in NewsroomPage.objects.get(import_key="ghost:p8").body


def test_nul_characters_in_the_export_are_dropped_not_a_crash(
    db, ghost_media, run_import, tmp_path
):
    export = tmp_path / "ghost.json"
    text = EXPORT.read_text()
    text = text.replace('"Late again"', '"Late\\u0000 again"')
    text = text.replace("2021/05/lead.png", "2021/05/lead\\u0000.png")
    export.write_text(text)
    report = run_import("import_ghost", export, "--media-dir", str(ghost_media))
    assert "Created:" in report
    assert story("late-again").headline == "Late again"
