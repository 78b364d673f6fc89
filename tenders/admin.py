"""Tenders in the admin: to look things up, never to change them.

A tender changes only through the tenders' services (the buyer's pages, the
API), which check the actor, follow the state machine and write the audit
trail. The admin shows tenders read-only to platform administrators and auditors.
"""

from django.contrib import admin

from accounts.permissions import Perm, has_perm

from .models import Amendment, Clarification, Lot, Outage, Tender, TenderDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only; every write goes through a service."""

    def has_module_permission(self, request):
        return has_perm(request.user, Perm.VIEW_AUDIT)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    fields = ("number", "title", "estimated_value", "bid_security")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tender)
class TenderAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "buyer", "state", "submission_deadline")
    list_filter = ("state", "procurement_method", "main_category")
    search_fields = ("reference", "ocid", "title", "title_fa")
    inlines = [LotInline]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ("tender", "number", "created_at", "material", "summary")


@admin.register(Clarification)
class ClarificationAdmin(ReadOnlyAdmin):
    list_display = ("tender", "number", "asked_at", "answered_at")


@admin.register(Outage)
class OutageAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "ends_at", "recorded_by", "recorded_at")


@admin.register(TenderDocument)
class TenderDocumentAdmin(ReadOnlyAdmin):
    list_display = ("tender", "title", "version", "is_current", "size", "sha256", "created_at")
