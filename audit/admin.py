from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: events are written by `audit.services.record` alone."""

    list_display = [
        "seq",
        "recorded_at",
        "actor_label",
        "role",
        "action",
        "object_type",
        "object_id",
    ]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_type", "object_id"]
    list_select_related = ["actor", "organisation"]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
