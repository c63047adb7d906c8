import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts import services
from alerts.models import Alert, Subscriber
from articles.models import Article
from newsroom.admin_readonly import ReadOnlyModelAdmin, ViewOnlyMixin


def _csv_safe(value):
    """Keep spreadsheet programs from running a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@admin.register(Subscriber)
class SubscriberAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Alert subscribers for editors to see; their state changes only through the readers."""

    list_display = ["email", "state", "user", "created_at", "confirmed_at", "left_at"]
    list_filter = ["state"]
    search_fields = ["email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    actions = ["export_csv"]
    CSV_FIELDS = ["email", "state", "created_at", "confirmed_at", "left_at", "bounce_reason"]

    @admin.action(description=_("Export selected subscribers as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="alert-subscribers-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(self.CSV_FIELDS)
        rows = queryset.order_by("pk").values_list(*self.CSV_FIELDS).iterator()
        writer.writerows([_csv_safe(value) for value in row] for row in rows)
        return response


@admin.register(Alert)
class AlertAdmin(ReadOnlyModelAdmin):
    """Each alert's progress; sending starts from an article's "Send breaking alert"."""

    list_display = [
        "article",
        "created_by",
        "created_at",
        "planned",
        "sent",
        "failed",
        "pending",
        "finished_at",
    ]
    list_select_related = ["article", "created_by"]
    fields = list_display
    readonly_fields = list_display
    change_form_template = "admin/alerts/alert/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress()

    @admin.display(description=_("sent"))
    def sent(self, obj):
        return obj.sent

    @admin.display(description=_("failed"))
    def failed(self, obj):
        return obj.failed

    @admin.display(description=_("pending"))
    def pending(self, obj):
        return obj.pending

    def get_urls(self):
        send = self.admin_site.admin_view(self.send_view)
        return [
            path("send/<int:article_pk>/", send, name="alerts_alert_send"),
            *super().get_urls(),
        ]

    def send_view(self, request, article_pk):
        """A confirmation page with the audience; its POST creates the one alert."""
        if not request.user.has_perm("articles.send_alert"):
            raise PermissionDenied
        article = get_object_or_404(Article, pk=article_pk)
        existing = Alert.objects.filter(article=article).first()
        if request.method == "POST" and existing is None:
            try:
                existing, _created = services.alert_create(article=article, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The alert is on its way."))
        if existing is not None:
            return HttpResponseRedirect(reverse("admin:alerts_alert_change", args=[existing.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Send a breaking alert"),
            "article": article,
            "is_live": article.is_live(),
            "recipients": Subscriber.objects.receiving().count(),
        }
        return TemplateResponse(request, "admin/alerts/alert/send_confirm.html", context)
