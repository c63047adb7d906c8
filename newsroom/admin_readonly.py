from django.contrib import admin


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """For records the system writes (audit trail, alert progress, funnel): view only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
