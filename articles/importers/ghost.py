"""Ghost's JSON export (Ghost 3 to 5): `db[0].data` holds the tables.

Ghost's export is one JSON document, read whole: a site's posts, not its pictures, which
stay in `content/images`. A post's `html` may be empty, with only the editor's document
(`lexical` from Ghost 5, `mobiledoc` before): it is rendered here, and any card this renderer
does not know is named in the report.
"""

import html
import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles.embeds import link_paragraph, url_line_html
from articles.importers.bodies import figure, finish, plain_text
from articles.importers.service import (
    AuthorItem,
    Importer,
    ImportFileError,
    PageItem,
    Picture,
    StoryItem,
    Term,
    headline_from,
)
from articles.models import Status

GHOST_URL = "__GHOST_URL__"
STATUSES = {
    "published": Status.PUBLISHED,
    "scheduled": Status.SCHEDULED,
    "draft": Status.DRAFT,
}
FORMATS = ((1, "strong"), (2, "em"), (4, "s"), (8, "u"), (16, "code"), (32, "sub"), (64, "sup"))


def ghost_sniff(head: bytes) -> None:
    """What the first bytes tell, for an upload to be refused at once: a JSON object with
    Ghost's "db" near its start. The whole document is read before anything is written."""
    if not head.lstrip().startswith(b"{") or b'"db"' not in head:
        raise ImportFileError(_("This is not a Ghost export (no db[0].data.posts)."))


def _without_nul(values: dict) -> dict:
    """JSON may carry NUL characters, which no database text column takes."""
    return {key: _nul_stripped(value) for key, value in values.items()}


def _nul_stripped(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_nul_stripped(item) for item in value]
    return value


def _tables(path: Path) -> dict:
    try:
        document = json.loads(path.read_bytes(), object_hook=_without_nul)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFileError(_("The file is not readable JSON: %s") % error) from error
    try:
        tables = document["db"][0]["data"]
    except (KeyError, IndexError, TypeError):
        tables = None
    if not isinstance(tables, dict) or not isinstance(tables.get("posts"), list):
        raise ImportFileError(_("This is not a Ghost export (no db[0].data.posts)."))
    return tables


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _local(url: str | None) -> str:
    """Ghost writes its own address as a placeholder: a path then, found in the media folder."""
    return (url or "").replace(GHOST_URL, "")


def _ordered(rows: list[dict], value: str) -> dict[str, list[str]]:
    by_post = defaultdict(list)
    for row in sorted(rows, key=lambda row: row.get("sort_order") or 0):
        by_post[row["post_id"]].append(row[value])
    return by_post


class GhostImport:
    def __init__(self, *, path: Path, importer: Importer):
        self.importer = importer
        tables = _tables(path)
        self.posts = tables["posts"]
        self.meta = {row["post_id"]: row for row in tables.get("posts_meta", [])}
        self.authors = {user["id"]: self._author(user) for user in tables.get("users", [])}
        self.tags = {
            tag["id"]: Term(name=tag["name"], slug=tag["slug"])
            for tag in tables.get("tags", [])
            if tag.get("visibility") != "internal" and not tag["name"].startswith("#")
        }
        self.post_tags = _ordered(tables.get("posts_tags", []), "tag_id")
        self.post_authors = _ordered(tables.get("posts_authors", []), "author_id")

    @staticmethod
    def _author(user: dict) -> AuthorItem:
        picture = Picture(url=_local(user["profile_image"])) if user.get("profile_image") else None
        slug = user["slug"]
        return AuthorItem(
            name=user["name"],
            slug=slug,
            bio=user.get("bio") or "",
            picture=picture,
            old_paths=[f"/author/{slug}/"] if slugify(slug) != slug else [],
        )

    def run(self) -> None:
        self.importer.expect(len(self.posts))
        for post in self.posts:
            self.importer.advance()
            self._post(post)
        self.importer.redirect("/rss/", target="/feed/")

    def _post(self, post: dict) -> None:
        kind = post.get("type") or ("page" if post.get("page") else "post")
        label = f"{kind} {post.get('slug', post['id'])} “{plain_text(post.get('title'))[:60]}”"
        status = post.get("status", "")
        if status not in STATUSES:
            self.importer.skip(label, _("status %s") % (status or "?"))
            return
        unknown: set[str] = set()
        body = finish(ghost_body(post, unknown))
        notes = [_("card “%s” not brought across") % name for name in sorted(unknown)]
        headline, made_up = headline_from(post.get("title") or "", body)
        notes += made_up
        if not headline:
            self.importer.skip(label, _("no title and no content"))
            return
        slug = post.get("slug") or f"post-{post['id']}"
        addresses = [(f"/{slug}/", "")]
        excerpt = plain_text(post.get("custom_excerpt") or "")[:300]
        if kind == "page":
            page = PageItem(
                key=f"ghost:{post['id']}",
                label=label,
                title=headline,
                slug=slug,
                body=body,
                summary=excerpt,
                old_addresses=addresses,
                notes=notes,
            )
            self.importer.page(page)
            return
        if post.get("visibility") not in (None, "public"):
            notes.append(_("for members only on Ghost: here the paywall's meter decides"))
        if not body:
            notes.append(_("no content: imported as a draft"))
        self.importer.story(
            StoryItem(
                key=f"ghost:{post['id']}",
                label=label,
                headline=headline,
                slug=slug,
                excerpt=excerpt,
                body=body,
                status=STATUSES[status] if body else Status.DRAFT,
                publish_at=_date(post.get("published_at")),
                updated_at=_date(post.get("updated_at")),
                section=next(iter(self._terms(post)), None),
                tags=self._terms(post)[1:],
                authors=self._bylines(post),
                lead=self._lead(post),
                old_addresses=addresses,
                notes=notes,
            )
        )

    def _terms(self, post: dict) -> list[Term]:
        return [self.tags[pk] for pk in self.post_tags.get(post["id"], []) if pk in self.tags]

    def _bylines(self, post: dict) -> list[AuthorItem]:
        ids = self.post_authors.get(post["id"]) or [post.get("author_id")]
        return [self.authors[pk] for pk in ids if pk in self.authors]

    def _lead(self, post: dict) -> Picture | None:
        if not post.get("feature_image"):
            return None
        meta = {**post, **self.meta.get(post["id"], {})}
        return Picture(
            url=_local(post["feature_image"]),
            alt=meta.get("feature_image_alt") or "",
            caption=plain_text(meta.get("feature_image_caption") or ""),
        )


def ghost_body(post: dict, unknown: set[str]) -> str:
    """The post's HTML, else its editor document rendered; `unknown` collects the names of
    the cards left out."""
    if post.get("html"):
        markup = post["html"]
    elif post.get("lexical"):
        root = json.loads(post["lexical"])["root"]
        markup = "".join(_lexical(node, unknown) for node in root.get("children", []))
    elif post.get("mobiledoc"):
        markup = _mobiledoc(json.loads(post["mobiledoc"]), unknown)
    else:
        markup = ""
    return _local(markup)


def _lexical(node: dict, unknown: set[str]) -> str:
    kind = node.get("type", "")
    inner = "".join(_lexical(child, unknown) for child in node.get("children", []))
    if kind in ("paragraph", "extended-paragraph"):
        return f"<p>{inner}</p>"
    if kind in ("heading", "extended-heading"):
        tag = node.get("tag", "h2")
        return f"<{tag}>{inner}</{tag}>"
    if kind == "list":
        tag = "ol" if node.get("listType") == "number" else "ul"
        return f"<{tag}>{inner}</{tag}>"
    if kind == "listitem":
        return f"<li>{inner}</li>"
    if kind in ("quote", "aside", "extended-quote"):
        return f"<blockquote>{inner}</blockquote>"
    if kind in ("text", "extended-text"):
        return _formatted(html.escape(node.get("text", "")), node.get("format", 0))
    if kind == "linebreak":
        return "<br>"
    if kind in ("link", "autolink"):
        return f'<a href="{html.escape(node.get("url", ""))}">{inner}</a>'
    if kind == "image":
        return figure(
            {
                "url": node.get("src", ""),
                "alt": node.get("altText", ""),
                "caption": plain_text(node.get("caption", "")),
            }
        )
    return _plain_card(kind, node, unknown)


def _plain_card(kind: str, data: dict, unknown: set[str]) -> str:
    """The cards both of Ghost's formats write alike, under their lexical or mobiledoc name;
    any other is named in the report and left out."""
    if kind == "embed":
        return url_line_html(data.get("url", ""))
    if kind == "bookmark":
        return link_paragraph(data.get("url", ""))
    if kind in ("horizontalrule", "hr"):
        return "<hr>"
    if kind in ("codeblock", "code"):
        return f"<pre><code>{html.escape(data.get('code', ''))}</code></pre>"
    if kind == "html":
        return data.get("html", "")
    unknown.add(kind)
    return ""


def _formatted(text: str, bits: int) -> str:
    for bit, tag in FORMATS:
        if bits & bit:
            text = f"<{tag}>{text}</{tag}>"
    return text


def _mobiledoc(document: dict, unknown: set[str]) -> str:
    markups, atoms, cards = (document.get(name, []) for name in ("markups", "atoms", "cards"))

    def markers(items: list) -> str:
        out, open_tags = [], []
        for kind, opens, closes, value in items:
            for index in opens:
                tag, *rest = markups[index]
                attrs = rest[0] if rest else []
                pairs = zip(attrs[::2], attrs[1::2], strict=True)
                out.append(f"<{tag}" + "".join(f' {k}="{html.escape(v)}"' for k, v in pairs) + ">")
                open_tags.append(tag)
            if kind == 0:
                out.append(html.escape(value))
            else:
                name, text, _payload = atoms[value]
                out.append("<br>" if name == "soft-return" else html.escape(text))
            for _closed in range(closes):
                out.append(f"</{open_tags.pop()}>")
        return "".join(out)

    out = []
    for section in document.get("sections", []):
        kind = section[0]
        if kind == 1:
            tag = section[1].lower()
            tag = "blockquote" if tag in ("aside", "pull-quote") else tag
            out.append(f"<{tag}>{markers(section[2])}</{tag}>")
        elif kind == 2:
            out.append(figure({"url": section[1]}))
        elif kind == 3:
            items = "".join(f"<li>{markers(item)}</li>" for item in section[2])
            out.append(f"<{section[1]}>{items}</{section[1]}>")
        elif kind == 10:
            out.append(_card(*cards[section[1]], unknown))
    return "\n".join(out)


def _card(name: str, payload: dict, unknown: set[str]) -> str:
    if name == "image":
        return figure(
            {
                "url": payload.get("src", ""),
                "alt": payload.get("alt", ""),
                "caption": plain_text(payload.get("caption", "")),
            }
        )
    if name == "gallery":
        return "\n".join(
            figure({"url": image.get("src", ""), "alt": image.get("alt", "")})
            for image in payload.get("images", [])
        )
    return _plain_card(name, payload, unknown)


def ghost_import(*, path: Path, importer: Importer) -> None:
    GhostImport(path=path, importer=importer).run()
