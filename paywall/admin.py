from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.admin_readonly import ReadOnlyModelAdmin
from paywall import selectors, services
from paywall.funnel_chart import funnel_chart
from paywall.meters.base import EVENTS
from paywall.models import Donor, FunnelDay, PaywallSettings


@admin.register(PaywallSettings)
class PaywallSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    fieldsets = [
        (None, {"fields": ["enabled", "nudge_from", "wall_after"]}),
        (_("Copy"), {"fields": ["nudge_text", "wall_text", "donate_text", "donate_thanks_text"]}),
        (
            _("Donations"),
            {
                "fields": [
                    "donation_url",
                    "suggested_amounts",
                    "donate_interval_hours",
                    "donate_dismiss_days",
                    "donor_quiet_days",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PaywallSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if PaywallSettings.objects.filter(pk=1).exists():
            return redirect("admin:paywall_paywallsettings_change", 1)
        return redirect("admin:paywall_paywallsettings_add")

    def save_model(self, request, obj, form, change):
        services.paywall_settings_save(rules=obj)


@admin.register(FunnelDay)
class FunnelAdmin(ReadOnlyModelAdmin):
    """The funnel as a page: a chart per day, totals, conversion, and the top articles."""

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = 30
        since = timezone.localdate() - timedelta(days=days - 1)
        rows = selectors.funnel_by_day(since=since)
        totals = {name: sum(r[name] for r in rows) for name in EVENTS}
        names = {name: FunnelDay._meta.get_field(name).verbose_name for name in EVENTS}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Paywall funnel, last %(days)s days") % {"days": days},
            "rows": rows,
            "totals": totals,
            "conversion": selectors.conversion_rate(rows),
            "articles": selectors.funnel_by_article(since=since),
            "chart": funnel_chart(rows, names),
            "events": [(name, names[name]) for name in EVENTS],
            "article_admin": reverse("admin:articles_article_changelist"),
        }
        return TemplateResponse(request, "paywall/admin_funnel.html", context)


@admin.register(Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ["user", "until", "source", "updated_at"]
    list_filter = ["source"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]
