"""A generated WordPress export for the importer's scale figure, written as a stream.

    python -m bench.wxr --posts 50000 var/bench-50k.xml

Each post has the shape of a news site's: five classic paragraphs (no <p> tags, as
WordPress stores them), a heading, a list, two categories out of twelve, three tags out of
two hundred, one of forty authors, one approved comment and one that is not; no media. A
fixed seed, so the same arguments write the same file.
"""

import argparse
import random
from pathlib import Path
from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated Gazette</title><link>https://gazette.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
"""
WORDS = [
    "council", "budget", "river", "school", "police", "harbour", "election", "market",
    "train", "hospital", "mayor", "report", "vote", "street", "fire", "weather", "court",
    "union", "museum", "bridge", "library", "park", "housing",
]  # fmt: skip


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _item(n: int, rng: random.Random) -> str:
    categories = rng.sample(range(12), 2)
    tags = rng.sample(range(200), 3)
    paragraphs = [_paragraph(rng) for _ in range(5)]
    listing = "<ul>\n<li>One</li>\n<li>Two</li>\n</ul>"
    body = "\n\n".join(
        [*paragraphs[:2], "<h2>What happens next</h2>", *paragraphs[2:4], listing, paragraphs[4]]
    )
    day = f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d} {n % 24:02d}:00:00"
    terms = "".join(
        f'<category domain="category" nicename="section-{c}"><![CDATA[Section {c}]]></category>'
        for c in categories
    ) + "".join(
        f'<category domain="post_tag" nicename="topic-{t}"><![CDATA[Topic {t}]]></category>'
        for t in tags
    )
    comment = (
        "<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author>Reader {n}"
        "</wp:comment_author><wp:comment_date_gmt>{day}</wp:comment_date_gmt>"
        "<wp:comment_content>{text}</wp:comment_content><wp:comment_approved>{ok}"
        "</wp:comment_approved><wp:comment_type>comment</wp:comment_type></wp:comment>"
    )
    comments = comment.format(id=2 * n, n=n, day=day, text=escape(_sentence(rng)), ok=1)
    comments += comment.format(id=2 * n + 1, n=n, day=day, text="spam", ok=0)
    title = escape(_sentence(rng)[:-1])
    return (
        f"<item><title>{title}</title><link>https://gazette.example/{day[:4]}/story-{n}/</link>"
        f"<dc:creator>author{n % 40}</dc:creator>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<excerpt:encoded><![CDATA[{_sentence(rng)}]]></excerpt:encoded>"
        f"<wp:post_id>{n}</wp:post_id><wp:post_date_gmt>{day}</wp:post_date_gmt>"
        f"<wp:post_modified_gmt>{day}</wp:post_modified_gmt>"
        f"<wp:post_name>story-{n}</wp:post_name><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type>{terms}{comments}</item>\n"
    )


def wxr_write(path: Path, *, posts: int, seed: int = 19) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(40):
            out.write(
                f"<wp:author><wp:author_login>author{n}</wp:author_login>"
                f"<wp:author_display_name>Author {n}</wp:author_display_name></wp:author>\n"
            )
        for n in range(1, posts + 1):
            out.write(_item(n, rng))
        out.write("</channel></rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=50_000)
    arguments = parser.parse_args()
    wxr_write(arguments.out, posts=arguments.posts)


if __name__ == "__main__":
    main()
