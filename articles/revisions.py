"""Readable differences between revisions of a story, for the admin's history.

A body is HTML; editors compare what readers read, so a difference is taken over the words of
the text (tags dropped, entities read), marked with `<del>` and `<ins>`, and long unchanged
runs are cut to a few words of context either side of each change.
"""

import html
import re
from difflib import SequenceMatcher

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

CONTEXT_WORDS = 8
ELLIPSIS = "…"
# Compared word by word; other fields are short enough to show whole.
WORD_DIFF_FIELDS = ("headline", "dek", "body")

_TAG = re.compile(r"<[^>]*>")


def text_words(value: str) -> list[str]:
    """The words a reader sees: each tag is a word break, as paragraphs and list items are."""
    return html.unescape(_TAG.sub(" ", value or "")).split()


def _unchanged(words: list[str], *, first: bool, last: bool) -> str:
    if len(words) <= CONTEXT_WORDS * (1 if first or last else 2):
        return " ".join(words)
    head = [] if first else words[:CONTEXT_WORDS]
    tail = [] if last else words[-CONTEXT_WORDS:]
    return " ".join([*head, ELLIPSIS, *tail])


def word_diff(old: str, new: str) -> SafeString:
    """`old` to `new` as words, deletions in `<del>` and insertions in `<ins>`."""
    before, after = text_words(old), text_words(new)
    opcodes = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    pieces = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            first, last = index == 0, index == len(opcodes) - 1
            pieces.append(format_html("{}", _unchanged(before[i1:i2], first=first, last=last)))
            continue
        if i2 > i1:
            pieces.append(format_html("<del>{}</del>", " ".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(format_html("<ins>{}</ins>", " ".join(after[j1:j2])))
    return mark_safe(" ".join(pieces))  # noqa: S308 - each piece is escaped above
