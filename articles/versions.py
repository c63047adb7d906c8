"""Optimistic locking of stories: who saved what since a form was opened.

Every save of a story's content moves `Article.version` on (articles.services.article_save).
A save that carries an older version than the stored one was made on a form opened before
someone else's save: it is refused with an ArticleChangedMeanwhile that says who changed
which fields and when, and what they wrote, so nothing is overwritten without anyone seeing it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from articles.models import Article

# What a person edits on the form; workflow fields are moved by the workflow only.
CONTENT_FIELDS = (
    "headline",
    "slug",
    "kicker",
    "section",
    "dek",
    "dateline",
    "body",
    "lead_image",
    "is_free",
    "is_breaking",
    "alert_at_go_live",
    "seo_title",
    "seo_description",
)
# Short enough to quote in the refusal; the body is named, and shown on the other version.
QUOTED_FIELDS = ("headline", "kicker", "dek", "dateline", "slug", "seo_title")


@dataclass(frozen=True)
class Conflict:
    article_id: int
    by: list[str]
    at: datetime
    fields: list[str]
    theirs: dict[str, str]
    version: int

    def __str__(self) -> str:
        names = ", ".join(self.by) or _("Someone")
        when = date_format(localtime(self.at), "DATETIME_FORMAT")
        what = ", ".join(self.fields) or _("nothing you can see on the form")
        text = _(
            "%(names)s saved this story at %(when)s, after you opened it, changing: %(what)s. "
            "Your save was refused and nothing was overwritten."
        ) % {"names": names, "when": when, "what": what}
        quoted = (
            _("Their %(field)s: “%(value)s”.") % {"field": field, "value": value}
            for field, value in self.theirs.items()
        )
        return " ".join([text, *quoted])


class ArticleChangedMeanwhile(ValidationError):
    def __init__(self, conflict: Conflict):
        super().__init__(str(conflict), code="changed_meanwhile")
        self.conflict = conflict


def article_conflict(*, article_id: int, base_version: int) -> Conflict | None:
    """What was saved on the story after `base_version`, or None when that is the stored one.

    Locks the story's row until the transaction ends, so that no save slips in between this
    check and the caller's own save."""
    stored = Article.objects.select_for_update().filter(pk=article_id).first()
    if stored is None or stored.version == base_version:
        return None
    history = Article.history.filter(id=article_id)
    newer = list(history.filter(version__gt=base_version).select_related("updated_by"))
    base = history.filter(version=base_version).first()
    latest = history.first()
    changed = []
    if base is not None and latest is not None:
        delta = latest.diff_against(base, included_fields=list(CONTENT_FIELDS))
        changed = [change.field for change in delta.changes]
    by = []
    for record in newer:
        name = record.updated_by and (record.updated_by.get_full_name() or record.updated_by.email)
        if name and name not in by:
            by.append(name)
    verbose = {name: str(Article._meta.get_field(name).verbose_name) for name in CONTENT_FIELDS}
    return Conflict(
        article_id=article_id,
        by=by,
        at=stored.updated_at,
        fields=[verbose[name] for name in CONTENT_FIELDS if name in changed],
        theirs={
            verbose[name]: Truncator(getattr(stored, name)).chars(120)
            for name in QUOTED_FIELDS
            if name in changed
        },
        version=stored.version,
    )


def article_version_check(*, article: Article) -> None:
    """Refuse a save of `article` made on an older version than the stored one."""
    conflict = article_conflict(article_id=article.pk, base_version=article.version)
    if conflict is not None:
        raise ArticleChangedMeanwhile(conflict)
