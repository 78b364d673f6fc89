"""accounts.permissions: which role may do what, on whose objects."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts.models import Membership, Organisation, Role, User
from accounts.permissions import (
    ROLE_PERMISSIONS,
    HasPerm,
    Perm,
    PermissionRequiredMixin,
    has_perm,
    permission_required,
    require_perm,
    requires_two_factor,
)
from accounts.services import api_token_create
from core.exceptions import PermissionDenied
from tests.factories import KIND_OF_ROLE, OrganisationFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db

# The expected grant of each role, written out: a change to ROLE_PERMISSIONS must show here.
EXPECTED = {
    Role.SUPPLIER_ADMIN: {
        Perm.VIEW_SUPPLIER,
        Perm.MANAGE_SUPPLIER,
        Perm.INVITE_MEMBERS,
        Perm.RENAME_ORGANISATION,
        Perm.SUBMIT_BID,
    },
    Role.BIDDER: {Perm.VIEW_SUPPLIER, Perm.SUBMIT_BID},
    # A buyer's officer drafts its tenders; verifying suppliers is the oversight body's.
    Role.PROCUREMENT_OFFICER: {Perm.DRAFT_TENDER},
    Role.COMMITTEE_MEMBER: {Perm.OPEN_BIDS, Perm.HOLD_OPENING_KEY},
    Role.EVALUATOR: {Perm.EVALUATE_BIDS},
    Role.APPROVER: {Perm.APPROVE_TENDER},
    Role.CONTRACT_MANAGER: {Perm.MANAGE_CONTRACTS},
    Role.AUDITOR: {Perm.VIEW_AUDIT, Perm.VIEW_SUPPLIER},
    Role.VERIFIER: {Perm.VERIFY_SUPPLIERS, Perm.VIEW_SUPPLIER},
    Role.PLATFORM_ADMIN: {
        Perm.MANAGE_USERS,
        Perm.MANAGE_ORGANISATIONS,
        Perm.INVITE_MEMBERS,
        Perm.RENAME_ORGANISATION,
        Perm.VIEW_AUDIT,
        Perm.VIEW_SUPPLIER,
        Perm.VERIFY_SUPPLIERS,
        Perm.DEBAR_SUPPLIERS,
        Perm.RECORD_OUTAGE,
    },
}
# The names a role grants as such; the others add a condition on the object
# (tests/tenders/test_tender_rules.py).
ROLE_BASED = sorted({perm for perms in EXPECTED.values() for perm in perms})


def test_every_role_has_its_expected_grant():
    assert ROLE_PERMISSIONS == EXPECTED


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("perm", ROLE_BASED)
def test_has_perm_across_roles(role, perm):
    user = make_member(role)

    assert has_perm(user, perm) is (perm in EXPECTED[role])


@pytest.mark.parametrize("perm", ROLE_BASED)
def test_anonymous_and_roleless_users_hold_no_role_permission(perm):
    assert has_perm(AnonymousUser(), perm) is False
    assert has_perm(UserFactory(), perm) is False


def test_nothing_before_the_address_is_verified():
    user = make_member(Role.PLATFORM_ADMIN, email_verified_at=None)

    assert [perm for perm in Perm if has_perm(user, perm)] == []


def test_inactive_memberships_organisations_and_users_grant_nothing():
    revoked = make_member(Role.AUDITOR)
    Membership.objects.filter(user=revoked).update(is_active=False)
    closed = make_member(Role.AUDITOR)
    Organisation.objects.filter(memberships__user=closed).update(is_active=False)
    deactivated = make_member(Role.AUDITOR, is_active=False)
    active = make_member(Role.AUDITOR)

    for user in (revoked, closed, deactivated):
        assert has_perm(User.objects.get(pk=user.pk), Perm.VIEW_AUDIT) is False
    assert has_perm(User.objects.get(pk=active.pk), Perm.VIEW_AUDIT) is True


def test_organisation_roles_reach_only_their_organisations_objects():
    # given an officer of one entity, and an object of another
    officer = make_member(Role.PROCUREMENT_OFFICER)
    own = officer.memberships.get().organisation
    other = OrganisationFactory(kind=KIND_OF_ROLE[Role.PROCUREMENT_OFFICER])

    class Tender:
        def __init__(self, organisation):
            self.organisation_id = organisation.pk

    # then the permission holds on their own entity's objects only
    assert has_perm(officer, Perm.DRAFT_TENDER, Tender(own)) is True
    assert has_perm(officer, Perm.DRAFT_TENDER, own) is True
    assert has_perm(officer, Perm.DRAFT_TENDER, Tender(other)) is False
    assert has_perm(officer, Perm.DRAFT_TENDER, other) is False
    # and an object with no organisation is nobody's to act on by organisation role
    assert has_perm(officer, Perm.DRAFT_TENDER, object()) is False


def test_oversight_roles_reach_every_organisation():
    auditor = make_member(Role.AUDITOR)
    entity = OrganisationFactory()

    assert has_perm(auditor, Perm.VIEW_AUDIT, entity) is True


def test_superusers_hold_the_platform_admin_permissions_only():
    root = UserFactory(is_superuser=True, is_staff=True)

    assert {perm for perm in ROLE_BASED if has_perm(root, perm)} == EXPECTED[Role.PLATFORM_ADMIN]
    assert has_perm(root, Perm.MANAGE_OWN_API_TOKENS) is True


def test_a_superuser_is_no_exception_to_address_verification_nor_to_scoping():
    # given a superuser whose address is not verified, and one whose is
    unverified = UserFactory(is_superuser=True, is_staff=True, email_verified_at=None)
    root = UserFactory(is_superuser=True, is_staff=True)
    entity = OrganisationFactory()

    # then the first holds nothing; the second no buyer's role on a buyer's objects
    assert [perm for perm in Perm if has_perm(unverified, perm)] == []
    assert has_perm(root, Perm.DRAFT_TENDER, entity) is False
    assert has_perm(root, Perm.VERIFY_SUPPLIERS, entity) is True


def test_every_permission_name_has_a_rule():
    from django.core.checks import run_checks

    assert [e for e in run_checks() if e.id == "accounts.E001"] == []


def test_a_name_without_a_rule_fails_the_system_check(monkeypatch):
    import rules

    from accounts.checks import every_permission_has_a_rule

    # given a rule is missing
    saved = rules.permissions.permissions["suppliers.verify"]
    rules.remove_perm("suppliers.verify")
    try:
        errors = every_permission_has_a_rule(None)
    finally:
        rules.add_perm("suppliers.verify", saved)

    # then the check names it
    assert [(e.id, e.msg) for e in errors] == [
        (
            "accounts.E001",
            "The permission 'suppliers.verify' has no rule registered with django-rules.",
        )
    ]


def test_own_objects():
    holder, stranger = UserFactory(), UserFactory()
    token, _raw = api_token_create(actor=holder, name="x", expires_in_days=1)

    assert has_perm(holder, Perm.MANAGE_OWN_API_TOKENS, token) is True
    assert has_perm(stranger, Perm.MANAGE_OWN_API_TOKENS, token) is False


def test_require_perm_raises_the_domain_error():
    bidder = make_member(Role.BIDDER)

    require_perm(bidder, Perm.SUBMIT_BID)
    with pytest.raises(PermissionDenied) as raised:
        require_perm(bidder, Perm.VIEW_AUDIT)

    assert raised.value.code == "api.permission_denied"
    assert raised.value.status == 403
    assert raised.value.params == {"permission": "audit.view"}


@pytest.mark.parametrize("role", list(Role))
def test_requires_two_factor(role):
    assert requires_two_factor(make_member(role)) is (
        role not in {Role.SUPPLIER_ADMIN, Role.BIDDER}
    )


def test_requires_two_factor_for_staff_and_superusers():
    assert requires_two_factor(UserFactory(is_staff=True)) is True
    assert requires_two_factor(UserFactory(is_superuser=True)) is True
    assert requires_two_factor(UserFactory()) is False


# --- Declaring a view's permission --------------------------------------------------------


@permission_required(Perm.VIEW_AUDIT)
def audit_view(request):
    return HttpResponse("ok")


class AuditPage(PermissionRequiredMixin, View):
    required_perm = Perm.VIEW_AUDIT

    def get(self, request):
        return HttpResponse("ok")


@pytest.mark.parametrize("view", [audit_view, AuditPage.as_view()])
def test_view_declarations(view):
    factory = RequestFactory()

    anonymous = factory.get("/somewhere/")
    anonymous.user = AnonymousUser()
    response = view(anonymous)
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/somewhere/"

    denied = factory.get("/somewhere/")
    denied.user = make_member(Role.BIDDER)
    with pytest.raises(DjangoPermissionDenied):
        view(denied)

    allowed = factory.get("/somewhere/")
    allowed.user = make_member(Role.AUDITOR)
    assert view(allowed).status_code == 200


def test_the_decorator_names_its_permission():
    assert audit_view.required_perm == Perm.VIEW_AUDIT


class AuditApi(APIView):
    permission_classes = [HasPerm]
    required_perm = Perm.VIEW_AUDIT

    def get(self, request):
        self.check_object_permissions(request, OrganisationFactory())
        return Response({"ok": True})


class MembersApi(APIView):
    permission_classes = [HasPerm.of(Perm.MANAGE_USERS)]

    def get(self, request):
        return Response({"ok": True})


@pytest.mark.parametrize(
    ("view", "allowed_role"), [(AuditApi, Role.AUDITOR), (MembersApi, Role.PLATFORM_ADMIN)]
)
@pytest.mark.parametrize("role", list(Role))
def test_drf_permission_class(view, allowed_role, role):
    request = APIRequestFactory().get("/api/x/")
    force_authenticate(request, user=make_member(role))

    response = view.as_view()(request).render()

    if role == allowed_role or (view is AuditApi and role == Role.PLATFORM_ADMIN):
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"


def test_audit_asks_for_the_permission_accounts_gives():
    from audit.permissions import VIEW_AUDIT

    assert VIEW_AUDIT == Perm.VIEW_AUDIT
