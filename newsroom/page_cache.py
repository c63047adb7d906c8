"""Stored pages that follow what they show, and the file cache that holds them.

How a page is cut. A page that every reader of a kind shares (the anonymous article page, the
registered one) is rendered once into a shell: its HTML cut at slots, the places where each
reader's parts go (the paywall's prompts, the withheld rest of a body, messages, a signed-in
reader's forms) and where fragments are joined. A fragment is HTML that several pages show (a
story's related stories, the front): it is stored once, under its own key, and joined into the
page when the page is served, as the slots are filled. Rendering asks the database; serving a
stored shell and its fragments asks it nothing.

What a scope is. A named thing that pages show, with its own version: `story:<id>` (a story's
text, authors, pictures, tags, corrections and section), `thread:<id>` (its comments),
`chrome` (the menu and the footer pages), and the lists that pages embed: `list:front`,
`list:section:<id>` and `list:tag:<id>` (the stories of a section or a topic, from which a
story's related list is drawn). A stored shell records the versions of the scopes it was
rendered from and is served only while they are all current; a fragment's key combines the
versions of the scopes it shows. Nothing finds and deletes old entries: they are never read
again, expire and are culled first.

Who moves a scope. Whatever changes what readers see calls scopes_changed() with the scopes it
touches (the articles app's services and receivers; articles/scopes.py says which): editing
story A moves `story:A` and the lists A appears in, so A's page and the fragments that show A
are rendered again, and story B's shell is not. Time moves nothing: a page that changes at a
known moment (a scheduled story going live on the front) says itself when it goes stale.

Each worker trusts the versions it read for CONTENT_VERSION_TRUST_SECONDS, so that a view
learns all its versions in at most one cache round trip; a change made in the worker is seen
there at once. Every version key expires after VERSION_SECONDS, longer than any stored page
lives: a missing version is a new one, under which nothing is stored yet.

The backend: Django's file cache, storing values uncompressed and culling rarely, oldest
first. A stored article page is read on every view. Decompressing it cost as much as reading it
from the OS file cache (docs/benchmarks.md), and the disk has room for the pages as they are.
Django's file cache lists the whole folder on every store to decide whether to cull (13 ms
for 3,000 pages here, about 90 ms at the 20,000 allowed), and then deletes entries at random,
current pages as likely as stale ones. Here the folder is looked at once a minute per worker,
and the entries written longest ago, the stale versions', go first.
"""

import contextlib
import hashlib
import os
import pickle
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

CULL_INTERVAL_SECONDS = 60
# A version key outlives every page and fragment stored under it (the page cache keeps them
# 600 s, the front at most as long).
VERSION_SECONDS = 24 * 3600
VERSION_PREFIX = "scope:"

# This worker's readings: scope name -> (monotonic time read, version).
_known: dict[str, tuple[float, int]] = {}


def scopes_versions(names: Iterable[str], *, now: float | None = None) -> dict[str, int]:
    """The current version of each scope, in one cache round trip for those this worker has
    not read within the trust window (none for those it has); a missing one is created."""
    now = time.monotonic() if now is None else now
    trust = settings.CONTENT_VERSION_TRUST_SECONDS
    versions, unknown = {}, []
    for name in names:
        known = _known.get(name)
        if known is not None and now - known[0] < trust:
            versions[name] = known[1]
        else:
            unknown.append(name)
    if unknown:
        found = cache.get_many([VERSION_PREFIX + name for name in unknown])
        created = {}
        for name in unknown:
            version = found.get(VERSION_PREFIX + name)
            if version is None:
                version = created[VERSION_PREFIX + name] = time.time_ns()
            versions[name] = version
            _known[name] = (now, version)
        if created:
            cache.set_many(created, VERSION_SECONDS)
    return versions


def scopes_changed(names: Iterable[str]) -> None:
    """Moves each scope to a new version once the change is committed (at once outside a
    transaction), so that nothing stored from the old data is served again."""
    names = frozenset(names)
    if names:
        transaction.on_commit(lambda: _scopes_move(names))


def _scopes_move(names: frozenset[str]) -> None:
    version = time.time_ns()
    cache.set_many({VERSION_PREFIX + name: version for name in names}, VERSION_SECONDS)
    now = time.monotonic()
    for name in names:
        _known[name] = (now, version)


def versions_key(versions: Mapping[str, int]) -> str:
    """A short key part that changes whenever any of the versions does."""
    text = ";".join(f"{name}={version}" for name, version in sorted(versions.items()))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class PageShell:
    """A page as rendered, cut at its slots.

    `parts` are encoded once when stored, not on every view: one more than the slots (before,
    between and after them). `scopes` are those the shell shows, `fragment_scopes` those of
    the fragments joined into it, so that a view learns all their versions at once;
    `versions` are the shell's scopes' versions as rendered. `facts` is what the view needs
    to know of the page without asking the database.
    """

    slots: tuple[str, ...]
    parts: tuple[bytes, ...]
    facts: Any = None
    scopes: tuple[str, ...] = ()
    fragment_scopes: tuple[str, ...] = ()
    versions: dict[str, int] = field(default_factory=dict)

    def current(self, versions: Mapping[str, int]) -> bool:
        return all(versions.get(name) == version for name, version in self.versions.items())

    def join(self, fills: Mapping[str, bytes]) -> bytes:
        """The page with each slot filled."""
        page = [self.parts[0]]
        for name, part in zip(self.slots, self.parts[1:], strict=True):
            page += [fills[name], part]
        return b"".join(page)


def shell_cut(
    render: Callable[[dict[str, SafeString]], str], slots: Iterable[str], **fields
) -> PageShell:
    """The page `render` returns for the slots' markers, cut at them (in the order given,
    which is the order they appear in). A fresh token per render, so that no text in the
    page can pose as a slot."""
    token = secrets.token_hex(8)
    slots = tuple(slots)
    markers = {name: mark_safe(f"<!--{token}:{name}-->") for name in slots}  # noqa: S308
    html = render(markers)
    parts = []
    for name in slots:
        part, _, html = html.partition(markers[name])
        parts.append(part.encode())
    parts.append(html.encode())
    return PageShell(slots, tuple(parts), **fields)


def stored_shell(
    key: str,
    *,
    load: Callable[[], Any],
    scopes: Callable[[Any], tuple[tuple[str, ...], tuple[str, ...]]],
    render: Callable[[Any], PageShell],
) -> tuple[PageShell | None, dict[str, int]]:
    """The shell stored under `key` in this node's page cache while every scope it shows is
    current, else one rendered and stored; with the versions of its scopes and its
    fragments' (None when `load` finds nothing to show).

    `load` reads from the database, `scopes` names the shell's scopes and its fragments' for
    what it loaded, and `render` renders it. Versions are read before the database is: a
    page rendered from data older than the versions it is stored under would be served
    until the next change. So when what was loaded shows scopes not yet read (the first
    render, or a story that moved section), they are read and it is loaded again.
    """
    pages = caches["pages"]
    shell = pages.get(key)
    if shell is not None:
        versions = scopes_versions((*shell.scopes, *shell.fragment_scopes))
        if shell.current(versions):
            return shell, versions
    else:
        versions = {}
    for _ in range(3):
        loaded = load()
        if loaded is None:
            return None, versions
        names, fragment_names = scopes(loaded)
        unread = [name for name in (*names, *fragment_names) if name not in versions]
        if not unread:
            break
        versions |= scopes_versions(unread)
    shell = replace(
        render(loaded),
        scopes=names,
        fragment_scopes=fragment_names,
        versions={name: versions[name] for name in names},
    )
    pages.set(key, shell)
    return shell, versions


def fragment(
    key: str, versions: Mapping[str, int], build: Callable[[], str], timeout=DEFAULT_TIMEOUT
) -> str:
    """HTML that several pages show, built once and stored in this node's page cache under
    `key` and the versions of the scopes it shows."""
    pages = caches["pages"]
    full_key = f"{key}:{versions_key(versions)}"
    html = pages.get(full_key)
    if html is None:
        html = build()
        pages.set(full_key, html, timeout)
    return html


class PlainFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self.cull_interval = params.get("OPTIONS", {}).get(
            "CULL_INTERVAL_SECONDS", CULL_INTERVAL_SECONDS
        )
        self._culled_at = None

    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                if not self._is_expired(f):
                    return pickle.load(f)  # noqa: S301 - our own files, as in Django's file cache
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        """Written anew: the parent's reads the value compressed."""
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout, version)
        return True

    def _cull(self):
        """Past MAX_ENTRIES, down to two thirds of it (CULL_FREQUENCY 3), oldest first."""
        now = time.monotonic()
        if self._culled_at is not None and now - self._culled_at < self.cull_interval:
            return
        self._culled_at = now
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        ages = []
        for name in files:
            with contextlib.suppress(FileNotFoundError):  # another worker culled it
                ages.append((os.stat(name).st_mtime, name))
        ages.sort()
        keep = self._max_entries - self._max_entries // max(self._cull_frequency, 1)
        for _, name in ages[: len(ages) - keep]:
            self._delete(name)
