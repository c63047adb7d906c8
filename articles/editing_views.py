"""The change form's background calls: autosave and presence (static/admin/editor/).

Both answer JSON to the form's own script, under the admin's login and CSRF checks.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from articles import presence, services
from articles.models import Article, ArticleAutosave

RESTORE_PARAMETER = "autosave"
VERSION_MAX = 2**31 - 1  # what the version columns hold on every database


def autosave_view(request, pk):
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        base_version = -1
    if not 0 < base_version <= VERSION_MAX:
        return _version_unknown()
    try:
        autosave = services.article_autosave(
            article_id=pk, by=request.user, fields=request.POST, base_version=base_version
        )
    except PermissionDenied as refused:
        return JsonResponse({"text": str(refused)}, status=403)
    except ValidationError:
        return _version_unknown()
    if autosave is None:
        return JsonResponse({"text": _("Saved.")})
    when = time_format(localtime(autosave.saved_at), "TIME_FORMAT")
    return JsonResponse({"text": _("Autosaved at %(when)s (not saved yet).") % {"when": when}})


def _version_unknown() -> JsonResponse:
    text = _("Not autosaved: this form's version of the story is unknown. Reload the page.")
    return JsonResponse({"error": "base_version", "text": text}, status=400)


def autosave_discard_view(request, pk):
    """This person no longer wants their autosave of the story back."""
    ArticleAutosave.objects.filter(article_id=pk, user=request.user).delete()
    messages.info(request, _("Your autosave of this story was discarded."))
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))


def presence_view(request, pk, *, article_queryset):
    if not article_queryset.filter(pk=pk).exists():
        raise PermissionDenied
    if request.POST.get("leaving"):
        presence.article_presence_leave(article_id=pk, user=request.user)
        return JsonResponse({"others": [], "text": ""})
    others = presence.article_presence_ping(article_id=pk, user=request.user)
    names = ", ".join(
        _("%(name)s (since %(when)s)")
        % {"name": other["name"], "when": time_format(localtime(other["since"]))}
        for other in others
    )
    text = _("Also open by %(names)s.") % {"names": names} if others else ""
    return JsonResponse({"others": [other["name"] for other in others], "text": text})


def autosave_newer(article: Article, user) -> ArticleAutosave | None:
    """This person's autosave of the story, when it holds something else than the stored
    story. Their own save empties the slot, so what is left was never saved: it is offered
    even after a colleague's save (with a warning) or a live update, which moves the story's
    update time but not its words."""
    autosave = ArticleAutosave.objects.filter(article=article, user=user).first()
    if autosave is None:
        return None
    if all(getattr(article, name) == value for name, value in autosave.fields.items()):
        return None
    return autosave


def autosave_restore(article: Article, user) -> bool:
    """Put the autosaved text on the (unsaved) story the form is about to show; the form then
    carries the version the autosave was made on, so that a save over a colleague's newer
    one is refused as any other."""
    autosave = autosave_newer(article, user)
    if autosave is None:
        return False
    for name, value in autosave.fields.items():
        setattr(article, name, value)
    article.version = autosave.base_version
    return True


def autosave_offer(request, article: Article) -> None:
    autosave = autosave_newer(article, request.user)
    if autosave is None:
        return
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    when = date_format(localtime(autosave.saved_at), "DATETIME_FORMAT")
    if autosave.base_version == article.version:
        text = _("Your autosave of this story from %(when)s holds text you have not saved.")
    else:
        text = _(
            "Your autosave of this story from %(when)s holds text you have not saved, and "
            "someone saved the story after it: saving yours will show what they did."
        )
    messages.warning(
        request,
        format_html(
            '{} <a href="{}?{}=restore" data-autosave-restore>{}</a> '
            '<form method="post" action="{}" class="autosave-discard">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit">{}</button></form>',
            text % {"when": when},
            change_url,
            RESTORE_PARAMETER,
            _("Bring it back into the form"),
            reverse("admin:articles_article_autosave_discard", args=[article.pk]),
            get_token(request),
            _("Discard it"),
        ),
    )
