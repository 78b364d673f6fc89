"""Platform administration of users, organisations, memberships and API tokens.

Every change goes through the accounts services, so it is checked and
audited exactly as elsewhere. The admin signs in through the platform's own
login (password, then the second factor the middleware requires).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError

from .models import ROLES_BY_KIND, ApiToken, Membership, Organisation, OrganisationKind, User
from .permissions import Perm, has_perm
from .services import (
    ORGANISATION_EDITABLE_FIELDS,
    USER_ADMIN_FIELDS,
    api_token_revoke,
    membership_grant,
    membership_revoke,
    organisation_create,
    organisation_update,
    user_update_by_admin,
)


def _platform_login(request, extra_context=None):
    """Visitors sign in through the platform; a signed-in person who is not staff is refused.

    Sending a signed-in person back to the login page would loop (the login page
    sends them on to the admin, which sends them back): they get the styled 403.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or request.get_full_path())


# The admin's own login form would skip the platform's sign-in record and flow.
admin.site.login = _platform_login


class ServiceAdmin(admin.ModelAdmin):
    """Changes go through services; errors become admin messages, never 500s."""

    required_perm: Perm = Perm.MANAGE_USERS

    def has_module_permission(self, request):
        return has_perm(request.user, self.required_perm)

    def has_view_permission(self, request, obj=None):
        return has_perm(request.user, self.required_perm)

    def has_change_permission(self, request, obj=None):
        return has_perm(request.user, self.required_perm)

    def has_add_permission(self, request):
        return has_perm(request.user, self.required_perm)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Not inside the admin's own transaction (ModelAdmin.changeform_view opens one):
        # every change is a service, which runs its own durable transaction and is
        # committed, audited and told when it returns; nothing else is written here
        # but the admin's own log entry.
        try:
            return self._changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            # The service's transaction rolled back; show the form again with the reason.
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _changes(self, form, fields) -> dict:
        return {field: form.cleaned_data[field] for field in fields if field in form.changed_data}


@admin.register(User)
class UserAdmin(ServiceAdmin):
    list_display = ("email", "name", "email_verified_at", "is_active", "is_staff", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "name")
    ordering = ("email",)
    fields = (
        "email",
        "name",
        "language",
        "email_verified_at",
        "date_joined",
        "last_login",
        *USER_ADMIN_FIELDS[1:],
    )
    readonly_fields = ("email", "language", "email_verified_at", "date_joined", "last_login")

    def has_add_permission(self, request):
        # People open their own accounts; administrators then grant them roles.
        return False

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_staff", "is_superuser"]
        return readonly

    def save_model(self, request, obj, form, change):
        changes = self._changes(form, USER_ADMIN_FIELDS)
        if changes:
            # `obj` already carries the form's values; the service reads the row afresh.
            user_update_by_admin(actor=request.user, user=obj, **changes)

    def save_related(self, request, form, formsets, change):
        """No related rows are edited here."""


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    required_perm = Perm.MANAGE_ORGANISATIONS
    list_display = ("name", "name_fa", "kind", "country", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "name_fa")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("kind", "name", "name_fa", "country")
        return ("kind", *ORGANISATION_EDITABLE_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        # A kind decides which roles the members hold: it does not change.
        return ("kind",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if not change:
            created = organisation_create(
                actor=request.user,
                kind=obj.kind,
                name=obj.name,
                name_fa=obj.name_fa,
                country=obj.country,
            )
            obj.pk = created.pk
            obj._state.adding = False
            return
        changes = self._changes(form, ORGANISATION_EDITABLE_FIELDS)
        if changes:
            organisation_update(actor=request.user, organisation=obj, **changes)


@admin.action(description=_("Revoke the selected memberships"))
def revoke_memberships(modeladmin, request, queryset):
    revoked = 0
    for membership in queryset.filter(is_active=True):
        try:
            membership_revoke(actor=request.user, membership=membership)
        except DomainError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
        else:
            revoked += 1
    modeladmin.message_user(
        request, _("%(count)s memberships revoked.") % {"count": revoked}, messages.SUCCESS
    )


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "organisation", "role")

    def clean(self):
        cleaned = super().clean()
        user, organisation = cleaned.get("user"), cleaned.get("organisation")
        role = cleaned.get("role")
        if not (user and organisation and role):
            return cleaned
        if role not in ROLES_BY_KIND[OrganisationKind(organisation.kind)]:
            self.add_error("role", _("This role cannot be given in this kind of organisation."))
        revoked = Membership.objects.filter(
            user=user, organisation=organisation, role=role, is_active=False
        ).first()
        if revoked is not None:
            # Granted again: membership_grant reuses the revoked row, so the form's
            # uniqueness check must treat this as that row. (An active duplicate is
            # refused by the model's unique constraint.)
            self.instance.pk = revoked.pk
            self.instance._state.adding = False
        return cleaned


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    form = MembershipForm
    list_display = ("user", "organisation", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "organisation__kind")
    search_fields = ("user__email", "user__name", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    actions = [revoke_memberships]
    fields = ("user", "organisation", "role")

    def has_change_permission(self, request, obj=None):
        # A membership is granted or revoked, never edited.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        membership = membership_grant(
            actor=request.user, user=obj.user, organisation=obj.organisation, role=obj.role
        )
        obj.pk = membership.pk
        obj._state.adding = False


@admin.action(description=_("Revoke the selected API tokens"))
def revoke_tokens(modeladmin, request, queryset):
    revoked = 0
    for token in queryset.filter(revoked_at__isnull=True):
        try:
            api_token_revoke(actor=request.user, token=token, reason="revoked by an administrator")
        except DomainError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
        else:
            revoked += 1
    modeladmin.message_user(
        request, _("%(count)s tokens revoked.") % {"count": revoked}, messages.SUCCESS
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ServiceAdmin):
    list_display = (
        "name",
        "prefix",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "second_factor_verified",
    )
    # The hash stays out of sight: it is of no use to anyone reading it here.
    fields = readonly_fields
    actions = [revoke_tokens]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
