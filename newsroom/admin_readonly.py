from django.contrib import admin


class NoAddMixin:
    """Rows that readers or the system create (comments, subscribers): never added here."""

    def has_add_permission(self, request):
        return False


class ViewOnlyMixin(NoAddMixin):
    """Rows whose state changes only through their owner or the system: the admin shows them."""

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyModelAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """For records the system writes (audit trail, alert progress, funnel): view only."""

    def has_delete_permission(self, request, obj=None):
        return False
