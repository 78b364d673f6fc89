"""Invitations to an organisation: invite, then the person accepts or declines, signed in."""

import pytest

from accounts.exceptions import InvitationNotPending
from accounts.models import Membership, MembershipInvitation, OrganisationKind, Role
from accounts.services import (
    membership_invitation_accept,
    membership_invitation_decline,
    membership_invite,
)
from audit.models import Event
from core.exceptions import PermissionDenied
from core.models import OutboxMessage
from tests.factories import OrganisationFactory, UserFactory, login, make_member

pytestmark = pytest.mark.django_db


def records():
    return (
        Membership.objects.count(),
        list(MembershipInvitation.objects.values_list("pk", "state")),
        Event.objects.count(),
        OutboxMessage.objects.count(),
    )


@pytest.fixture
def invitation():
    company = OrganisationFactory(kind=OrganisationKind.SUPPLIER, name="Alborz")
    admin = make_member(Role.SUPPLIER_ADMIN, organisation=company, name="Ava Admin")
    UserFactory(email="reza@example.org", name="Reza")
    return membership_invite(
        actor=admin, organisation=company, email="reza@example.org", role=Role.BIDDER
    )


def test_the_invited_person_accepts_and_holds_the_role(invitation):
    # when
    membership = membership_invitation_accept(actor=invitation.user, invitation=invitation)

    # then
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    assert invitation.decided_at is not None
    assert (membership.user, membership.organisation, membership.role, membership.is_active) == (
        invitation.user,
        invitation.organisation,
        "bidder",
        True,
    )
    event = Event.objects.get(action="membership.accepted")
    assert (event.actor_user, event.object_id, event.role) == (
        invitation.user,
        str(invitation.pk),
        "bidder",
    )
    assert event.payload == {
        "from": "pending",
        "to": "accepted",
        "organisation_id": invitation.organisation_id,
        "role": "bidder",
    }


def test_the_invited_person_declines_and_holds_nothing(invitation):
    membership_invitation_decline(actor=invitation.user, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.state == "declined"
    assert Membership.objects.filter(user=invitation.user).exists() is False
    assert Event.objects.filter(action="membership.declined").count() == 1


@pytest.mark.parametrize("who", ["inviter", "stranger", "unverified"])
def test_nobody_else_answers_an_invitation(invitation, who):
    # given
    if who == "inviter":
        actor = invitation.invited_by
    elif who == "stranger":
        actor = UserFactory()
    else:
        invitation.user.email_verified_at = None
        invitation.user.save(update_fields=["email_verified_at"])
        actor = invitation.user
    before = records()

    # when / then
    for answer in (membership_invitation_accept, membership_invitation_decline):
        with pytest.raises(PermissionDenied):
            answer(actor=actor, invitation=invitation)
    assert records() == before


def test_an_answered_invitation_cannot_be_answered_again(invitation):
    membership_invitation_decline(actor=invitation.user, invitation=invitation)
    before = records()

    with pytest.raises(InvitationNotPending) as raised:
        membership_invitation_accept(actor=invitation.user, invitation=invitation)

    assert (raised.value.code, raised.value.status) == ("accounts.invitation_not_pending", 409)
    assert records() == before


def test_a_role_that_does_not_fit_the_organisation_is_refused():
    company = OrganisationFactory(kind=OrganisationKind.SUPPLIER)
    admin = make_member(Role.SUPPLIER_ADMIN, organisation=company)
    UserFactory(email="reza@example.org")
    before = records()

    from accounts.exceptions import RoleNotAllowed

    with pytest.raises(RoleNotAllowed):
        membership_invite(
            actor=admin, organisation=company, email="reza@example.org", role=Role.AUDITOR
        )
    assert records() == before


def test_another_companys_administrator_cannot_invite():
    company = OrganisationFactory(kind=OrganisationKind.SUPPLIER)
    other_admin = make_member(Role.SUPPLIER_ADMIN)
    UserFactory(email="reza@example.org")
    before = records()

    with pytest.raises(PermissionDenied):
        membership_invite(
            actor=other_admin, organisation=company, email="reza@example.org", role=Role.BIDDER
        )
    assert records() == before


def test_the_invitations_page_lists_and_accepts(client, invitation):
    # given
    login(client, invitation.user)

    # when
    page = client.get("/accounts/invitations/")
    response = client.post(f"/accounts/invitations/{invitation.pk}/accept/")

    # then
    assert page.status_code == 200
    assert "Alborz" in page.content.decode()
    assert "invited by" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/accounts/invitations/"
    assert Membership.objects.filter(user=invitation.user, role="bidder").count() == 1


def test_someone_elses_invitation_is_not_found_by_page_or_api(client, invitation):
    # given
    login(client, UserFactory())
    before = records()

    # when
    page = client.post(f"/accounts/invitations/{invitation.pk}/accept/")
    api = client.post(f"/api/v1/accounts/invitations/{invitation.pk}/accept/")

    # then
    assert page.status_code == 404
    assert (api.status_code, api["Content-Type"]) == (404, "application/problem+json")
    assert records() == before


def test_the_api_declines_and_a_second_answer_is_a_conflict(client, invitation):
    login(client, invitation.user)

    declined = client.post(f"/api/v1/accounts/invitations/{invitation.pk}/decline/")
    again = client.post(f"/api/v1/accounts/invitations/{invitation.pk}/accept/")

    assert (declined.status_code, declined.json()["state"]) == (200, "declined")
    assert (again.status_code, again.json()["code"]) == (409, "accounts.invitation_not_pending")
    assert Membership.objects.filter(user=invitation.user).exists() is False


def test_the_dashboard_points_to_a_pending_invitation(invitation):
    from accounts.dashboard import account_items

    items = [item for item in account_items(invitation.user) if item.url.endswith("invitations/")]

    assert [(item.title, item.detail, item.url) for item in items] == [
        (
            "Alborz invites you to act as Bidder",
            "Accept or decline the invitation.",
            "/accounts/invitations/",
        )
    ]
