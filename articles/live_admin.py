"""The live desk: a story's coverage and its updates, run from the story's own admin page.

No page per update: the desk on the change page posts a new update, edits one (the same form,
filled in: `?live_update=<id>`), approves, deletes, starts and ends the coverage, each by a
POST to the story's own addresses below, and back to the desk. A writer who may not change a
published story still gets the desk on its read-only page. Who may do what is decided in
articles/live_services.py; this only shows the buttons that would be allowed.
"""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles import live_services
from articles.models import LiveCoverage, LiveUpdate

DONE = {
    "start": _("The story is live."),
    "settings": _("The rule for writers' updates is saved."),
    "end": _("Live coverage ended."),
    "approve": _("The update is published."),
    "delete": _("The update is deleted."),
    "save": _("The update is saved."),
}
UPDATE_STEPS = {
    "approve": live_services.live_update_approve,
    "delete": live_services.live_update_delete,
}
# The updates the desk lists, newest first; older ones are edited from the revision history.
DESK_UPDATES = 30


class LiveUpdateForm(forms.ModelForm):
    picture = forms.ImageField(label=_("picture"), required=False)
    picture_alt = forms.CharField(
        label=_("alt text"),
        max_length=300,
        required=False,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    picture_caption = forms.CharField(label=_("caption"), max_length=500, required=False)
    picture_credit = forms.CharField(label=_("credit"), max_length=200, required=False)
    send_alert = forms.BooleanField(
        label=_("This update is the moment for the story's breaking alert"),
        required=False,
        help_text=_("Next: the alert's confirmation, with how many subscribers get it."),
    )

    # Its fields sit on the page next to the story's own (a headline each).
    prefix = "live"

    class Meta:
        model = LiveUpdate
        fields = list(live_services.UPDATE_FIELDS)

    def __init__(self, *args, alert_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not alert_allowed:
            del self.fields["send_alert"]

    def groups(self):
        """The fields as the desk shows them: the update, then its picture (folded)."""
        picture = [self[name] for name in self.fields if name.startswith("picture")]
        update = [self[name] for name in self.fields if not name.startswith("picture")]
        return update, picture

    def picture_given(self):
        """(file, alt text, caption, credit) for the service, or None."""
        data = self.cleaned_data
        if not data.get("picture"):
            return None
        return (
            data["picture"],
            data["picture_alt"],
            data["picture_caption"],
            data["picture_credit"],
        )


class LiveDeskMixin:
    """For the story's ModelAdmin: the desk's addresses and its part of the change page."""

    def get_urls(self):
        def view(method):
            return self.admin_site.admin_view(require_POST(method))

        return [
            path("<int:pk>/live/", view(self.live_coverage_view), name="articles_article_live"),
            path(
                "<int:pk>/live/updates/",
                view(self.live_update_view),
                name="articles_article_live_post",
            ),
            path(
                "<int:pk>/live/updates/<int:update_pk>/",
                view(self.live_update_view),
                name="articles_article_live_update",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None and self.has_view_permission(request, article):
            form = (extra_context or {}).get("live_form")
            extra_context = {**(extra_context or {}), "live_desk": _desk(request, article, form)}
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        """The update form's rich-text editor, when the story's own form has none (a
        writer's read-only page); merged, so the page loads it once."""
        form = context.get("live_desk", {}).get("form")
        if form is not None:
            context["media"] = context["media"] + form.media
        return super().render_change_form(request, context, *args, **kwargs)

    def _desk_article(self, request, pk):
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def live_coverage_view(self, request, pk):
        article = self._desk_article(request, pk)
        action, user = request.POST.get("action"), request.user
        rule = request.POST.get("writer_updates", LiveCoverage.WriterUpdates.HELD)
        coverage = LiveCoverage.objects.filter(pk=article.pk).first()
        steps = {
            "start": lambda: live_services.live_start(
                article=article, by=user, writer_updates=rule
            ),
            "settings": lambda: live_services.live_settings_save(
                coverage=coverage, by=user, writer_updates=rule
            ),
            "end": lambda: live_services.live_end(coverage=coverage, by=user),
        }
        if action not in steps or (coverage is None and action != "start"):
            raise PermissionDenied
        _run(request, steps[action], DONE[action])
        return _to_desk(article.pk)

    def live_update_view(self, request, pk, update_pk=None):
        article = self._desk_article(request, pk)
        coverage = get_object_or_404(LiveCoverage, pk=article.pk)
        update = None
        if update_pk is not None:
            shown = coverage.updates.exclude(state=LiveUpdate.State.REMOVED)
            update = get_object_or_404(shown, pk=update_pk)
        action, user = request.POST.get("action", "save"), request.user
        if update is not None and action in UPDATE_STEPS:
            step = UPDATE_STEPS[action]
            _run(request, lambda: step(update=update, by=user), DONE[action])
            return _to_desk(article.pk)
        form = LiveUpdateForm(
            request.POST, request.FILES, alert_allowed=_alert_allowed(user, article)
        )
        saved = _update_save(request, coverage, update, form) if form.is_valid() else None
        if saved is None:  # the story's page again, with the form as typed and its errors
            request.method = "GET"
            request.GET = request.GET.copy()
            if update is not None:
                request.GET["live_update"] = str(update.pk)
            return self.change_view(request, str(article.pk), extra_context={"live_form": form})
        if saved.state == LiveUpdate.State.HELD:
            messages.info(request, _("It is held until an editor approves it."))
        elif form.cleaned_data.get("send_alert"):
            return HttpResponseRedirect(reverse("admin:alerts_alert_send", args=[article.pk]))
        return _to_desk(article.pk)


def _update_save(request, coverage, update, form) -> LiveUpdate | None:
    """A new update, or the changes to one, from the desk's valid form."""
    values = {name: form.cleaned_data[name] for name in live_services.UPDATE_FIELDS}
    picture, user = form.picture_given(), request.user
    if update is None:
        new = LiveUpdate(**values)
        return _run(
            request,
            lambda: live_services.live_update_post(
                coverage=coverage, by=user, update=new, picture=picture
            ),
            DONE["save"],
        )
    return _run(
        request,
        lambda: live_services.live_update_edit(
            update=update, by=user, values=values, picture=picture
        ),
        DONE["save"],
    )


def _run(request, step, done: str):
    try:
        result = step()
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return None
    messages.success(request, done)
    return result


def _to_desk(article_id: int) -> HttpResponseRedirect:
    url = reverse("admin:articles_article_change", args=[article_id])
    return HttpResponseRedirect(f"{url}#live-desk")


def _alert_allowed(user, article) -> bool:
    """The story's one breaking alert, not sent yet (the alerts app's own check follows)."""
    sent = getattr(article, "alert", None) is not None
    return user.has_perm("articles.send_alert") and article.is_live() and not sent


def _desk(request, article, form=None) -> dict:
    """What the desk shows this staff member of the story's coverage."""
    user = request.user
    coverage = LiveCoverage.objects.filter(pk=article.pk).first()
    desk = {
        "coverage": coverage,
        "may_run": live_services.live_may_run(user),
        "rules": LiveCoverage.WriterUpdates.choices,
    }
    if coverage is None:
        return desk
    updates = list(
        coverage.updates.exclude(state=LiveUpdate.State.REMOVED)
        .select_related("author", "created_by")
        .order_by("-created_at", "-pk")[:DESK_UPDATES]
    )
    editing = next((u for u in updates if str(u.pk) == request.GET.get("live_update", "")), None)
    if editing is not None and not live_services.live_may_change(user=user, update=editing):
        editing = None
    revisions = defaultdict(list)
    for revision in (
        LiveUpdate.history.filter(id__in=[u.pk for u in updates])
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        revisions[revision.id].append(revision)
    for update in updates:
        update.revisions = revisions[update.pk]
        update.may_change = live_services.live_may_change(user=user, update=update)
        update.may_delete = live_services.live_may_change(
            user=user, update=update, action="delete"
        )
    if form is None:
        fields = live_services.UPDATE_FIELDS if editing else ()
        form = LiveUpdateForm(
            initial={name: getattr(editing, name) for name in fields},
            alert_allowed=_alert_allowed(user, article),
        )
    desk |= {
        "may_post": live_services.live_may_post(user=user, coverage=coverage),
        "updates": updates,
        "editing": editing,
        "form": form,
    }
    return desk
