"""Stored pages that follow what they show, and the file cache that holds them.

How a page is cut. A page that every reader of a kind shares (the anonymous article page, the
registered one) is rendered once into a shell: its HTML cut at slots, the places where each
reader's parts go (the paywall's prompts, the withheld rest of a body, messages, a signed-in
reader's forms) and where fragments are joined. A fragment is HTML that several pages show (a
story's related stories, the front): it is stored once, under its own key, and joined into the
page when the page is served, as the slots are filled. A shell's entry also keeps the fragments
it last joined, so that while they are current a view reads that one entry. Rendering asks the
database; serving a stored shell and its fragments asks it nothing.

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

How a worker learns the versions. Every scope belongs to one of GROUPS groups (by a hash of
its name), and a move sets the scopes' versions and their groups' in one atomic write. A
worker reads every group's version once per CONTENT_VERSION_TRUST_SECONDS, in the round trip
of the view that finds them older, along with that view's scopes; until the next such reading
it trusts a scope's version while the scope's group has the version read alongside it, and
reads the others (with their groups) in one round trip. So a view makes at most one round
trip for its versions, most make none, and a change anywhere is seen everywhere within the
trust window; a change made in the worker is seen there at once. Every version key expires
after VERSION_SECONDS, longer than any stored page lives: a missing version is a new one,
under which nothing is stored yet. It is added, never set over another worker's (which may
be a move made since), and moves its group, so that a worker that knew an older one reads it
again.

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
import io
import math
import os
import pickle
import secrets
import time
import zlib
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
# Every scope belongs to one group, whose version moves whenever one of its scopes' does.
GROUPS = 256
GROUP_KEYS = tuple(f"scope-group:{number}" for number in range(GROUPS))


def _group(name: str) -> str:
    """The scope's group, the same in every process (unlike hash())."""
    return GROUP_KEYS[zlib.crc32(name.encode()) % GROUPS]


class _Readings:
    """This worker's readings: every group's version as last read all together (and when, in
    monotonic time), and each scope's version with its group and the group's version read
    alongside it. A scope's version is current while its group's is still that one."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self.groups: dict[str, int] = {}
        self.groups_at = -math.inf
        self.scopes: dict[str, tuple[str, int, int]] = {}


_readings = _Readings()


def scopes_versions(names: Iterable[str], *, now: float | None = None) -> dict[str, int]:
    """The current version of each scope. Once per trust window, a view reads every group's
    version with its own scopes' in one cache round trip; until the window ends, a scope
    whose group has not moved since its version was read needs none, and the others are read
    in one. A missing version is created."""
    now = time.monotonic() if now is None else now
    trust = settings.CONTENT_VERSION_TRUST_SECONDS
    fresh = now - _readings.groups_at < trust
    groups, scopes = _readings.groups, _readings.scopes
    versions, unread = {}, []
    for name in names:
        reading = scopes.get(name)
        if fresh and reading is not None and groups.get(reading[0]) == reading[1]:
            versions[name] = reading[2]
        else:
            unread.append(name)
    if unread:
        # With no trust there is nothing to spare by reading every group.
        versions |= _scopes_read(unread, now=now, every_group=not fresh and trust > 0)
    return versions


def _scopes_read(names: list[str], *, now: float, every_group: bool) -> dict[str, int]:
    """The scopes' versions and their groups' (every group's if asked), read in one round
    trip, which is atomic: a move sets a scope's version and its group's together."""
    needed = {_group(name) for name in names}
    groups = GROUP_KEYS if every_group else needed
    found = cache.get_many([*groups, *(VERSION_PREFIX + name for name in names)])
    read = {group: found[group] for group in groups if group in found}
    for group in needed - read.keys():  # the others are made when a view needs them
        if cache.add(group, version := time.time_ns(), VERSION_SECONDS):
            read[group] = version
    if every_group:
        _readings.groups, _readings.groups_at = read, now
    else:
        _readings.groups |= read
    versions, moved = {}, {}
    for name in names:
        group, version = _group(name), found.get(VERSION_PREFIX + name)
        if version is None:
            version = time.time_ns()
            if not cache.add(VERSION_PREFIX + name, version, VERSION_SECONDS):
                versions[name] = version  # another worker's came first: read it next time
                continue
            # A worker that still knew an older version of the scope must read it again.
            moved[group] = version
        versions[name] = version
        if group in read:
            _readings.scopes[name] = (group, read[group], version)
    if moved:
        cache.set_many(moved, VERSION_SECONDS)
    return versions


def scopes_changed(names: Iterable[str]) -> None:
    """Moves each scope to a new version once the change is committed (at once outside a
    transaction), so that nothing stored from the old data is served again."""
    names = frozenset(names)
    if names:
        transaction.on_commit(lambda: _scopes_move(names))


def _scopes_move(names: frozenset[str]) -> None:
    """The scopes and their groups, in one atomic write; this worker knows them at once."""
    version = time.time_ns()
    moved = {VERSION_PREFIX + name: version for name in names}
    moved |= {_group(name): version for name in names}
    cache.set_many(moved, VERSION_SECONDS)
    for name in names:
        _readings.groups[_group(name)] = version
        _readings.scopes[name] = (_group(name), version, version)


def versions_key(versions: Mapping[str, int]) -> str:
    """A short key part that changes whenever any of the versions does."""
    text = ";".join(f"{name}={version}" for name, version in sorted(versions.items()))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class PageShell:
    """A page as rendered, cut at its slots.

    `parts` are encoded once when stored, not on every view: one more than the slots (before,
    between and after them). `scopes` are those the shell shows, `fragment_scopes` those of
    the fragments joined into it, so that a view learns all their versions at once. `facts`
    is what the view needs to know of the page without asking the database. `fragments` are
    the fragments as last joined (slot -> HTML), kept in the same entry so that a view reads
    one entry while they are current; `seen` is the versions of `scopes` as rendered, then of
    `fragment_scopes` as joined, which a view compares with the current ones in one step.
    """

    slots: tuple[str, ...]
    parts: tuple[bytes, ...]
    facts: Any = None
    scopes: tuple[str, ...] = ()
    fragment_scopes: tuple[str, ...] = ()
    seen: tuple[int, ...] = ()
    fragments: dict[str, bytes] = field(default_factory=dict)

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
    fragments: Callable[[PageShell], Mapping[str, tuple[str, Callable[[], str]]]],
) -> tuple[PageShell | None, Mapping[str, bytes]]:
    """The shell stored under `key` in this node's page cache while every scope it shows is
    current, else one rendered and stored; with the HTML of the fragments joined into it
    (None and nothing when `load` finds nothing to show).

    `load` reads from the database, `scopes` names the shell's scopes and its fragments' for
    what it loaded, `render` renders it, and `fragments` names, for a shell, each fragment's
    slot, its key and how it is built (from the fragments' scopes). While everything is
    current, a view reads the one entry and compares one tuple of versions. When only the
    fragments' scopes moved, they are taken from fragment() and the entry is stored again.
    """
    pages = caches["pages"]
    shell = pages.get(key)
    versions = {}
    if shell is not None:
        names = shell.scopes + shell.fragment_scopes
        versions = scopes_versions(names)
        seen = tuple(map(versions.__getitem__, names))
        if seen == shell.seen:
            return shell, shell.fragments
        if seen[: len(shell.scopes)] != shell.seen[: len(shell.scopes)]:
            shell = None
    if shell is None:
        shell, versions = _shell_rendered(versions, load=load, scopes=scopes, render=render)
        if shell is None:
            return None, {}
    fragment_versions = {name: versions[name] for name in shell.fragment_scopes}
    joined = {
        slot: fragment(fragment_key, fragment_versions, build).encode()
        for slot, (fragment_key, build) in fragments(shell).items()
    }
    seen = tuple(versions[name] for name in shell.scopes + shell.fragment_scopes)
    shell = replace(shell, fragments=joined, seen=seen)
    pages.set(key, shell)
    return shell, joined


def _shell_rendered(versions: dict[str, int], *, load, scopes, render):
    """The shell rendered now (not yet stored) and the versions of its scopes and its
    fragments'; None when `load` finds nothing. Versions are read before the database is: a
    page rendered from data older than the versions it is stored under would be served until
    the next change. So when what was loaded shows scopes not yet read (the first render, or
    a story that moved section), they are read and it is loaded again."""
    for _ in range(3):
        loaded = load()
        if loaded is None:
            return None, versions
        names, fragment_names = scopes(loaded)
        unread = [name for name in (*names, *fragment_names) if name not in versions]
        if not unread:
            break
        versions = versions | scopes_versions(unread)
    shell = replace(render(loaded), scopes=names, fragment_scopes=fragment_names)
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

    def validate_key(self, key):
        """Any key will do: it is hashed into a file name. Memcached's limits (length, spaces
        and control characters), which the parent checks on every read and write, are not
        this cache's."""

    def get(self, key, default=None, version=None):
        """The file read in one call and unpickled from memory (the parent's reads it in
        pieces); an expired entry is deleted, as the parent's."""
        name = self._key_to_file(key, version)
        try:
            with open(name, "rb", buffering=0) as f:
                stream = io.BytesIO(f.read())
        except FileNotFoundError:
            return default
        try:
            expires = pickle.load(stream)  # noqa: S301 - our own files, as in Django's file cache
        except EOFError:
            expires = 0  # an empty file, as the parent treats it
        if expires is not None and expires < time.time():
            self._delete(name)
            return default
        return pickle.load(stream)  # noqa: S301

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
