"""A staff member on the public site has a way back to the admin, and to the story's form;
the stored pages that other readers share never carry it."""

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_links(response) -> tuple[bool, bool]:
    page = response.content.decode()
    return "data-staff-links" in page, "data-staff-edit" in page


def test_an_editor_reading_a_story_sees_the_admin_and_the_story_s_form(editor, published_article):
    response = signed_in(editor).get(published_article.get_absolute_url())
    page = response.content.decode()
    assert staff_links(response) == (True, True)
    assert 'href="/admin/"' in page
    assert f'href="/admin/articles/article/{published_article.pk}/change/"' in page
    assert staff_links(signed_in(editor).get("/")) == (True, False)


@pytest.mark.parametrize("editor_first", [True, False])
def test_the_shared_signed_in_page_neither_leaks_nor_loses_the_links(
    editor, published_article, editor_first
):
    """Readers and editors share the stored signed-in shell: whoever rendered it first."""
    reader = signed_in(factories.verified_reader_factory())
    visits = [(signed_in(editor), (True, True)), (reader, (False, False))]
    for client, expected in visits if editor_first else visits[::-1]:
        assert staff_links(client.get(published_article.get_absolute_url())) == expected


def test_anonymous_pages_never_carry_them(editor, published_article):
    signed_in(editor).get(published_article.get_absolute_url())
    signed_in(editor).get("/")
    for path in (published_article.get_absolute_url(), "/"):
        assert staff_links(Client().get(path)) == (False, False)
        assert staff_links(Client().get(path)) == (False, False)  # the stored page too


def test_a_staff_preview_shows_them(editor):
    draft = factories.article_create(by=editor)
    response = signed_in(editor).get(f"/preview/{draft.pk}/")
    assert staff_links(response) == (True, True)
