"""Suppliers in the admin: to look things up, never to change them.

A registration, its documents and its change requests change only through
the suppliers' services (the supplier's pages, the officers' review pages,
the API), which check the actor and write the audit trail. The admin shows
them read-only to the platform's administrators, officers and auditors.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Perm, has_perm

from .models import ChangeRequest, ChangeRequestItem, Supplier, SupplierDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only; every write goes through a service."""

    def has_module_permission(self, request):
        return has_perm(request.user, Perm.VERIFY_SUPPLIERS) or has_perm(
            request.user, Perm.VIEW_AUDIT
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SupplierDocumentInline(ReadOnlyInline):
    model = SupplierDocument
    fields = [
        "kind",
        "version",
        "is_current",
        "original_name",
        "size",
        "sha256",
        "issued_on",
        "expires_on",
        "uploaded_by",
        "created_at",
    ]
    readonly_fields = fields
    ordering = ["kind", "-version"]


@admin.register(Supplier)
class SupplierAdmin(ReadOnlyAdmin):
    list_display = [
        "legal_name",
        "registration_number",
        "country",
        "state",
        "submitted_at",
        "verified_at",
        "documents_expired_since",
    ]
    list_filter = ["state", "country"]
    search_fields = ["legal_name", "legal_name_fa", "registration_number", "tax_id"]
    date_hierarchy = "submitted_at"
    list_select_related = ["organisation"]
    inlines = [SupplierDocumentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organisation",
                    "legal_name",
                    "legal_name_fa",
                    "registration_number",
                    "tax_id",
                    "country",
                    "cpv_codes",
                ]
            },
        ),
        (
            _("Contact"),
            {
                "fields": [
                    "address_line",
                    "city",
                    "postal_code",
                    "contact_email",
                    "contact_phone",
                    "website",
                ]
            },
        ),
        (
            _("Verification"),
            {
                "fields": [
                    "state",
                    "submitted_at",
                    "verified_at",
                    "suspension_reason",
                    "debarment_reason",
                    "debarred_from",
                    "debarred_until",
                    "documents_expired_since",
                ]
            },
        ),
    ]


@admin.register(SupplierDocument)
class SupplierDocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "supplier",
        "kind",
        "version",
        "is_current",
        "issued_on",
        "expires_on",
        "expiry_warned_on",
    ]
    list_filter = ["kind", "is_current"]
    search_fields = ["supplier__legal_name", "original_name", "sha256"]
    list_select_related = ["supplier"]
    exclude = ["file"]  # the file is downloaded through the permission-checked page


class ChangeRequestItemInline(ReadOnlyInline):
    model = ChangeRequestItem
    fields = ["target_type", "target", "reason"]
    readonly_fields = fields


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["supplier", "requested_by", "created_at", "resolved_at"]
    list_select_related = ["supplier", "requested_by"]
    search_fields = ["supplier__legal_name"]
    inlines = [ChangeRequestItemInline]
