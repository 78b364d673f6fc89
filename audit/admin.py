from django.contrib import admin

from .models import Checkpoint, Event, Person


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """Read-only: events are written by `audit.services.record` alone."""

    list_display = ["seq", "recorded_at", "actor", "role", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["actor__name", "actor__email", "action", "object_type", "object_id"]
    list_select_related = ["actor", "organisation"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Read-only: an erasure goes through `manage.py audit erase`, which records it."""

    list_display = ["pseudonym", "name", "email", "erased_at"]
    search_fields = ["pseudonym", "name", "email"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["size", "recorded_at", "root_hash", "key_id"]
