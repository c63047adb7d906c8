"""WordPress's export file (WXR 1.0 to 1.2), read as a stream in two passes.

The first pass keeps what posts refer to (authors, attachments: a few fields each); the
second writes posts and pages one by one, each element dropped once read, so memory does not
grow with the file. A file that declares a DTD is refused before any parsing: entities are
how an XML file expands to gigabytes or reads the server's files. The first pass reads the
whole file before anything is written, so a file broken half-way writes nothing.
"""

import html
import re
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from articles.importers.bodies import plain_text, wordpress_body
from articles.importers.service import (
    AuthorItem,
    CommentItem,
    Importer,
    ImportFileError,
    PageItem,
    Picture,
    StoryItem,
    Term,
    headline_from,
)
from articles.models import Section, Status, Tag

WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
PROLOGUE_BYTES = 64 * 1024
STATUSES = {
    "publish": Status.PUBLISHED,
    "future": Status.SCHEDULED,
    "draft": Status.DRAFT,
    "pending": Status.IN_REVIEW,
    "private": Status.DRAFT,
}
NO_DATE = "0000-00-00 00:00:00"


def _refuse_dtd(head: bytes) -> None:
    root = re.search(rb"<[A-Za-z_]", head)
    prologue = head[: root.start()] if root else head
    if b"<!DOCTYPE" in prologue.upper() or b"<!ENTITY" in prologue.upper():
        raise ImportFileError(_("The file declares a DTD or entities, which are refused."))


def wordpress_sniff(head: bytes) -> None:
    """What the first bytes tell (no DTD, WordPress's namespace), for an upload to be
    refused at once; reading the whole file finds the rest."""
    _refuse_dtd(head)
    if not re.search(rb"https?://wordpress\.org/export/1\.[0-2]/", head):
        raise ImportFileError(_("This is not a WordPress export (WXR) file."))


def _short(namespace: str | None) -> str:
    if not namespace:
        return ""
    if WXR_NAMESPACE.match(namespace):
        return "wp"
    if "/excerpt/" in namespace:
        return "excerpt"
    if "rss/1.0/modules/content" in namespace:
        return "content"
    if "purl.org/dc/" in namespace:
        return "dc"
    return namespace


def _name(element) -> str:
    qname = etree.QName(element)
    short = _short(qname.namespace)
    return f"{short}:{qname.localname}" if short else qname.localname


def _fields(element) -> dict[str, str]:
    """The first text of each child, by short name ("wp:post_id")."""
    found: dict[str, str] = {}
    for child in element:
        if isinstance(child.tag, str):
            found.setdefault(_name(child), (child.text or "").strip())
    return found


def _entries(path: Path):
    """(short name, element) of each child of the channel, dropped once the caller is done."""
    with open(path, "rb") as file:
        _refuse_dtd(file.read(PROLOGUE_BYTES))
    parser = etree.iterparse(
        str(path),
        events=("start-ns", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
    )
    is_wxr = False
    try:
        for event, element in parser:
            if event == "start-ns":
                is_wxr = is_wxr or bool(WXR_NAMESPACE.match(element[1]))
                continue
            parent = element.getparent()
            if parent is None or etree.QName(parent).localname != "channel":
                continue
            if not is_wxr:
                raise ImportFileError(_("This is not a WordPress export (WXR) file."))
            yield _name(element), element
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        raise ImportFileError(_("The file is not readable XML: %s") % error) from error
    if not is_wxr:
        raise ImportFileError(_("This is not a WordPress export (WXR) file."))


def _date(gmt: str, local: str) -> datetime | None:
    if gmt and gmt != NO_DATE:
        return datetime.fromisoformat(gmt).replace(tzinfo=UTC)
    if local and local != NO_DATE:
        return timezone.make_aware(datetime.fromisoformat(local))
    return None


def _address(link: str) -> tuple[str, str] | None:
    try:
        parts = urllib.parse.urlsplit(link)
    except ValueError:  # no address a reader could have kept
        return None
    if not parts.path and not parts.query:
        return None
    address = (parts.path or "/", parts.query)
    return None if address == ("/", "") else address


class WordPressImport:
    def __init__(self, *, path: Path, importer: Importer):
        self.path = path
        self.importer = importer
        self.authors: dict[str, AuthorItem] = {}
        self.attachments: dict[str, dict] = {}
        self.children: dict[str, list[str]] = {}  # post id -> its attachments' ids
        self.categories: dict[str, str] = {}  # slug -> its parent's slug ("" at the top)
        self.tags: set[str] = set()

    def run(self) -> None:
        self.importer.expect(self._first_pass())
        for name, element in _entries(self.path):
            if name == "item":
                self._item(element)
        self._term_redirects()

    def _first_pass(self) -> int:
        """Reads the whole file, so one that is broken is refused before anything is
        written; returns the number of items the second pass will take in hand."""
        items = 0
        for name, element in _entries(self.path):
            self.importer.beat()
            if name == "wp:author":
                self._author(_fields(element))
            elif name == "wp:category":
                fields = _fields(element)
                self.categories[fields.get("wp:category_nicename", "")] = fields.get(
                    "wp:category_parent", ""
                )
            elif name == "wp:tag":
                self.tags.add(_fields(element).get("wp:tag_slug", ""))
            elif name == "item" and _fields(element).get("wp:post_type") == "attachment":
                self._attachment(element)
            elif name == "item":
                items += 1
        return items

    def _author(self, fields: dict[str, str]) -> None:
        login = fields.get("wp:author_login", "")
        name = fields.get("wp:author_display_name") or login
        self.authors[login] = AuthorItem(
            name=html.unescape(name), slug=login, old_paths=[f"/author/{login}/"]
        )

    def _attachment(self, element) -> None:
        fields = _fields(element)
        meta = _postmeta(element)
        pk = fields.get("wp:post_id", "")
        self.attachments[pk] = {
            "url": fields.get("wp:attachment_url", ""),
            "alt": meta.get("_wp_attachment_image_alt", ""),
            "caption": plain_text(fields.get("excerpt:encoded", "")),
            "link": fields.get("link", ""),
        }
        self.children.setdefault(fields.get("wp:post_parent", "0"), []).append(pk)

    def _item(self, element) -> None:
        fields = _fields(element)
        kind, status = fields.get("wp:post_type", ""), fields.get("wp:status", "")
        pk = fields.get("wp:post_id", "")
        label = f"{kind or 'item'} {pk} “{plain_text(fields.get('title', ''))[:60]}”"
        if kind == "attachment":
            return
        self.importer.advance()
        if kind not in ("post", "page"):
            self.importer.skip(label, _("post type %s") % (kind or "?"))
            return
        if status not in STATUSES:
            self.importer.skip(label, _("status %s") % (status or "?"))
            return
        body = wordpress_body(fields.get("content:encoded", ""), attachments=self.attachments)
        notes = [_("shortcode [%s] dropped") % name for name in sorted(body.dropped)]
        headline, made_up = headline_from(fields.get("title", ""), body.html)
        notes += made_up
        if not headline:
            self.importer.skip(label, _("no title and no content"))
            return
        addresses = [_address(fields.get("link", ""))]
        query_name = "page_id" if kind == "page" else "p"
        addresses.append(("/", f"{query_name}={pk}"))
        for child in self.children.get(pk, []):
            addresses += [
                ("/", f"attachment_id={child}"),
                _address(self.attachments[child]["link"]),
            ]
        addresses = [address for address in dict.fromkeys(addresses) if address]
        if kind == "page":
            self.importer.page(
                PageItem(
                    key=f"wordpress:{pk}",
                    label=label,
                    title=headline,
                    slug=_slug(fields, pk),
                    body=body.html,
                    summary=plain_text(fields.get("excerpt:encoded", "")),
                    old_addresses=addresses,
                    notes=notes,
                )
            )
            return
        self.importer.story(
            self._story(element, fields, label, headline, body.html, notes, addresses)
        )

    def _story(self, element, fields, label, headline, body, notes, addresses) -> StoryItem:
        pk, status = fields["wp:post_id"], fields["wp:status"]
        if status == "private":
            notes.append(_("private: imported as a draft"))
        if fields.get("wp:post_password"):
            notes.append(_("password-protected: imported as a draft"))
            status = "draft"
        if not body:
            notes.append(_("no content: imported as a draft"))
            status = "draft"
        categories, tags, bylines = [], [], []
        for category in element.iterfind("category"):
            term = Term(
                name=html.unescape((category.text or "").strip()),
                slug=category.get("nicename", ""),
            )
            domain = category.get("domain")
            if domain == "category":
                categories.append(term)
            elif domain == "post_tag":
                tags.append(term)
            elif domain == "author":  # Co-Authors Plus: the byline, in order
                bylines.append(term.slug.removeprefix("cap-"))
        bylines = bylines or [fields.get("dc:creator", "")]
        meta = _postmeta(element)
        lead = self.attachments.get(meta.get("_thumbnail_id", ""))
        return StoryItem(
            key=f"wordpress:{pk}",
            label=label,
            headline=headline,
            slug=_slug(fields, pk),
            excerpt=plain_text(fields.get("excerpt:encoded", ""))[:300],
            body=body,
            status=STATUSES[status] if body else Status.DRAFT,
            publish_at=_date(fields.get("wp:post_date_gmt", ""), fields.get("wp:post_date", "")),
            updated_at=_date(
                fields.get("wp:post_modified_gmt", ""), fields.get("wp:post_modified", "")
            ),
            section=categories[0] if categories else None,
            tags=categories[1:] + tags,
            authors=[
                self.authors.get(login) or AuthorItem(name=login, slug=login)
                for login in bylines
                if login
            ],
            lead=Picture(url=lead["url"], alt=lead["alt"], caption=lead["caption"])
            if lead
            else None,
            comments=list(_comments(element)),
            old_addresses=addresses,
            notes=notes,
        )

    def _term_redirects(self) -> None:
        """WordPress's category and tag addresses, where ours differ. A category below
        another has its path too (/category/news/local/); one that became neither a
        section nor a tag leads where the nearest one above it does."""
        for slug in self.categories.keys() - {""}:
            target = self._category_target(slug, set())
            if target:
                self.importer.redirect(f"/category/{slug}/", target=target)
                path = self._category_path(slug, set())
                if path != slug:
                    self.importer.redirect(f"/category/{path}/", target=target)
        for slug in self.tags - {""}:
            tag = Tag.objects.filter(slug=slug).first()
            if tag:
                self.importer.redirect(f"/tag/{slug}/", target=tag.get_absolute_url())

    def _category_target(self, slug: str, seen: set[str]) -> str | None:
        found = Section.objects.filter(slug=slug).first() or Tag.objects.filter(slug=slug).first()
        if found:
            return found.get_absolute_url()
        parent = self.categories.get(slug, "")
        if not parent or parent in seen:  # `seen`: a file may make a category its own parent
            return None
        return self._category_target(parent, seen | {slug})

    def _category_path(self, slug: str, seen: set[str]) -> str:
        parent = self.categories.get(slug, "")
        if not parent or parent in seen:
            return slug
        return f"{self._category_path(parent, seen | {slug})}/{slug}"


def _slug(fields: dict[str, str], pk: str) -> str:
    return urllib.parse.unquote(fields.get("wp:post_name", "")) or f"post-{pk}"


def _postmeta(element) -> dict[str, str]:
    meta = {}
    for entry in element:
        if isinstance(entry.tag, str) and _name(entry) == "wp:postmeta":
            fields = _fields(entry)
            meta[fields.get("wp:meta_key", "")] = fields.get("wp:meta_value", "")
    return meta


def _comments(element):
    """Approved comments, without the commenters' email or IP address."""
    for entry in element:
        if not (isinstance(entry.tag, str) and _name(entry) == "wp:comment"):
            continue
        fields = _fields(entry)
        if fields.get("wp:comment_approved") != "1" or fields.get("wp:comment_type") not in (
            "",
            "comment",
        ):
            continue
        created = _date(fields.get("wp:comment_date_gmt", ""), fields.get("wp:comment_date", ""))
        yield CommentItem(
            name=html.unescape(fields.get("wp:comment_author", "")) or _("Anonymous"),
            body=plain_text(fields.get("wp:comment_content", "").replace("\n", " \n ")),
            created_at=created,
        )


def wordpress_import(*, path: Path, importer: Importer) -> None:
    WordPressImport(path=path, importer=importer).run()
