from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import OutboxMessage, OutboxStatus

from .models import Checkpoint, Event, Person
from .outbox import outbox_requeue


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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Operators watch the outbox here; failed messages can be given another round.

    Registered by audit, not core: the retry is an audited decision
    (`audit.outbox.outbox_requeue`), and core imports no app.
    """

    list_display = [
        "id",
        "topic",
        "status",
        "attempts",
        "created_at",
        "available_at",
        "processed_at",
    ]
    list_filter = ["status", "topic"]
    search_fields = ["topic", "last_error"]
    date_hierarchy = "created_at"
    actions = ["requeue"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the selected failed messages"), permissions=["view"])
    def requeue(self, request, queryset):
        if not request.user.is_superuser:
            self.message_user(request, _("Only a superuser may retry messages."), messages.ERROR)
            return
        ids = list(queryset.filter(status=OutboxStatus.FAILED).values_list("pk", flat=True))
        count = outbox_requeue(actor=request.user, message_ids=ids)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
        )
