"""Platform administrators grant and revoke roles; a role must fit the organisation's kind."""

import pytest

from accounts.exceptions import MembershipAlreadyRevoked, MembershipExists, RoleNotAllowed
from accounts.models import Membership, OrganisationKind, Role, User
from accounts.permissions import Perm, has_perm
from accounts.services import membership_grant, membership_revoke
from audit.models import Event
from core.exceptions import PermissionDenied
from tests.accounts.conftest import event_actions
from tests.factories import OrganisationFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_member(Role.PLATFORM_ADMIN)


def test_a_platform_admin_grants_a_role(admin):
    # given a person and a procuring entity
    person = UserFactory()
    entity = OrganisationFactory(kind=OrganisationKind.PROCURING_ENTITY)
    assert has_perm(person, Perm.DRAFT_TENDER) is False

    # when the administrator makes them its procurement officer
    membership = membership_grant(
        actor=admin,
        user=person,
        organisation=entity,
        role=Role.PROCUREMENT_OFFICER,
        reason="appointment letter 14/2026",
    )

    # then they hold the role, at once, and it is on the record
    assert membership.is_active is True
    assert has_perm(person, Perm.DRAFT_TENDER, entity) is True
    event = Event.objects.get()
    assert event.action == "membership.granted"
    assert event.actor_user == admin
    assert event.role == "platform_admin"
    assert event.reason == "appointment letter 14/2026"
    assert event.payload == {
        "user_id": person.pk,
        "organisation_id": entity.pk,
        "role": "procurement_officer",
    }


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrganisationKind.SUPPLIER, Role.PROCUREMENT_OFFICER),
        (OrganisationKind.SUPPLIER, Role.AUDITOR),
        (OrganisationKind.PROCURING_ENTITY, Role.BIDDER),
        (OrganisationKind.PROCURING_ENTITY, Role.PLATFORM_ADMIN),
        (OrganisationKind.OVERSIGHT, Role.APPROVER),
        (OrganisationKind.OVERSIGHT, "emperor"),
    ],
)
def test_a_role_that_does_not_fit_the_kind_is_refused(admin, kind, role):
    person = UserFactory()
    organisation = OrganisationFactory(kind=kind)

    with pytest.raises(RoleNotAllowed) as raised:
        membership_grant(actor=admin, user=person, organisation=organisation, role=role)

    assert raised.value.code == "accounts.role_not_allowed"
    assert Membership.objects.filter(user=person).count() == 0
    assert Event.objects.count() == 0


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PLATFORM_ADMIN])
def test_only_platform_admins_grant_roles(role):
    actor = make_member(role)
    person = UserFactory()
    supplier = OrganisationFactory(kind=OrganisationKind.SUPPLIER)

    with pytest.raises(PermissionDenied):
        membership_grant(actor=actor, user=person, organisation=supplier, role=Role.BIDDER)

    assert Membership.objects.filter(user=person).count() == 0
    assert Event.objects.count() == 0


def test_a_role_held_already_is_refused(admin):
    person = make_member(Role.BIDDER)
    supplier = person.memberships.get().organisation

    with pytest.raises(MembershipExists):
        membership_grant(actor=admin, user=person, organisation=supplier, role=Role.BIDDER)

    assert Membership.objects.filter(user=person).count() == 1
    assert Event.objects.count() == 0


def test_revoke_and_grant_again(admin):
    # given an evaluator
    person = make_member(Role.EVALUATOR)
    membership = person.memberships.get()
    assert has_perm(person, Perm.EVALUATE_BIDS) is True

    # when the administrator revokes the role
    membership_revoke(actor=admin, membership=membership, reason="left the ministry")

    # then it no longer counts (from the next request: roles are cached per user object),
    # and the revocation is on the record
    membership.refresh_from_db()
    assert membership.is_active is False
    assert has_perm(User.objects.get(pk=person.pk), Perm.EVALUATE_BIDS) is False
    assert event_actions() == ["membership.revoked"]
    assert Event.objects.get().reason == "left the ministry"

    # when it is revoked again, that is refused
    with pytest.raises(MembershipAlreadyRevoked):
        membership_revoke(actor=admin, membership=membership)
    assert event_actions() == ["membership.revoked"]

    # when it is granted again, the same row comes back
    again = membership_grant(
        actor=admin, user=person, organisation=membership.organisation, role=Role.EVALUATOR
    )
    assert again.pk == membership.pk
    assert again.is_active is True
    assert event_actions() == ["membership.revoked", "membership.granted"]


def test_only_platform_admins_revoke(admin):
    person = make_member(Role.EVALUATOR)
    membership = person.memberships.get()
    auditor = make_member(Role.AUDITOR)

    with pytest.raises(PermissionDenied):
        membership_revoke(actor=auditor, membership=membership)

    membership.refresh_from_db()
    assert membership.is_active is True
    assert Event.objects.count() == 0
