import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Subscriber


def _csv_safe(value):
    """Keep spreadsheet programs from running a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Alert subscribers for editors to see; their state changes only through the readers."""

    list_display = ["email", "state", "user", "created_at", "confirmed_at", "left_at"]
    list_filter = ["state"]
    search_fields = ["email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    actions = ["export_csv"]
    CSV_FIELDS = ["email", "state", "created_at", "confirmed_at", "left_at", "bounce_reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

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
