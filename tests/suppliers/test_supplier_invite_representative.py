"""Inviting a representative: the person acts for the company once they accept, never before."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail

from accounts.exceptions import InvitationPending, MembershipExists, RoleNotAllowed
from accounts.models import Membership, MembershipInvitation, Role, User
from audit.models import Event
from core.exceptions import ValidationFailed
from core.models import OutboxMessage
from core.outbox import process
from suppliers import services
from suppliers.exceptions import SupplierNotAllowed
from tests.factories import UserFactory, make_member

from .factories import registered_supplier

pytestmark = pytest.mark.django_db


def _counts():
    return (
        User.objects.count(),
        Membership.objects.count(),
        MembershipInvitation.objects.count(),
        Event.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_an_unknown_address_gets_an_account_and_an_invitation():
    # given
    supplier, admin = registered_supplier(documents=False)

    # when
    invitation = services.supplier_invite_representative(
        actor=admin,
        supplier=supplier,
        email=" Reza@Alborz.example ",
        name="Reza Karimi",
        role=Role.BIDDER,
    )

    # then an account without a password, an invitation, and no membership yet
    user = invitation.user
    assert (user.email, user.name, user.has_usable_password()) == (
        "reza@alborz.example",
        "Reza Karimi",
        False,
    )
    assert (invitation.organisation_id, invitation.role, invitation.state) == (
        supplier.organisation_id,
        "bidder",
        "pending",
    )
    assert Membership.objects.filter(user=user).exists() is False
    event = Event.objects.get(action="membership.invited")
    assert event.actor_user == admin
    assert event.object_id == str(invitation.pk)
    assert event.role == "supplier_admin"
    assert event.payload == {
        "user_id": user.pk,
        "organisation_id": supplier.organisation_id,
        "role": "bidder",
        "new_account": True,
    }
    message = OutboxMessage.objects.get()
    assert message.topic == services.REPRESENTATIVE_INVITATION_TOPIC
    # The payload holds ids only: the link's token is made when the email is sent.
    assert message.payload == {
        "user_id": user.pk,
        "supplier_id": supplier.pk,
        "invited_by": admin.pk,
    }


def test_the_invitation_email_carries_a_working_password_link():
    # given
    supplier, admin = registered_supplier(documents=False)
    invitation = services.supplier_invite_representative(
        actor=admin, supplier=supplier, email="reza@alborz.example", name="Reza", role="bidder"
    )
    message = OutboxMessage.objects.get()

    # when
    assert process(message.pk) is True

    # then
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["reza@alborz.example"]
    assert email.subject == "You are invited to act for Alborz Road Builders Co. on Panjere"
    assert "accept the invitation" in email.body
    token = re.search(r"/accounts/password-reset/[^/]+/([^/]+)/", email.body).group(1)
    assert default_token_generator.check_token(invitation.user, token)


def test_a_known_person_is_invited_and_notified_not_attached():
    # given
    supplier, admin = registered_supplier(documents=False)
    known = UserFactory(email="known@example.org")

    # when
    invitation = services.supplier_invite_representative(
        actor=admin, supplier=supplier, email="KNOWN@example.org", role=Role.SUPPLIER_ADMIN
    )

    # then
    assert (invitation.user, invitation.role, invitation.state) == (
        known,
        "supplier_admin",
        "pending",
    )
    assert Membership.objects.filter(user=known).exists() is False
    assert Event.objects.get(action="membership.invited").payload["new_account"] is False
    message = OutboxMessage.objects.get()
    assert message.topic == "core.notify"
    assert message.payload["recipients"] == [known.pk]
    assert message.payload["kind"] == "membership.invited"
    assert message.payload["url"] == "/accounts/invitations/"


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"email": "not-an-address", "name": "X", "role": "bidder"}, ValidationFailed, "email"),
        (
            {"email": "a" * 300 + "@example.org", "name": "X", "role": "bidder"},
            ValidationFailed,
            "email",
        ),
        ({"email": "new@example.org", "name": " ", "role": "bidder"}, ValidationFailed, "name"),
        ({"email": "new@example.org", "name": "X", "role": "auditor"}, RoleNotAllowed, "role"),
    ],
)
def test_invalid_input_is_refused_with_nothing_written(fields, error, field):
    # given
    supplier, admin = registered_supplier(documents=False)
    before = _counts()

    # when
    with pytest.raises(error) as raised:
        services.supplier_invite_representative(actor=admin, supplier=supplier, **fields)

    # then
    assert raised.value.field == field
    assert _counts() == before


def test_the_same_role_twice_is_refused():
    # given
    supplier, admin = registered_supplier(documents=False)
    before = _counts()

    # when
    with pytest.raises(MembershipExists) as raised:
        services.supplier_invite_representative(
            actor=admin, supplier=supplier, email=admin.email, role=Role.SUPPLIER_ADMIN
        )

    # then
    assert raised.value.field == "email"
    assert _counts() == before


def test_a_second_invitation_to_the_same_role_is_refused_while_one_is_pending():
    # given
    supplier, admin = registered_supplier(documents=False)
    UserFactory(email="known@example.org")
    services.supplier_invite_representative(
        actor=admin, supplier=supplier, email="known@example.org", role=Role.BIDDER
    )
    before = _counts()

    # when
    with pytest.raises(InvitationPending) as raised:
        services.supplier_invite_representative(
            actor=admin, supplier=supplier, email="known@example.org", role=Role.BIDDER
        )

    # then
    assert (raised.value.code, raised.value.status, raised.value.field) == (
        "accounts.invitation_pending",
        409,
        "email",
    )
    assert _counts() == before


@pytest.mark.parametrize("role", [Role.BIDDER, Role.PROCUREMENT_OFFICER, Role.AUDITOR])
def test_only_the_suppliers_administrators_invite_people(role):
    # given
    supplier, _admin = registered_supplier(documents=False)
    if role == Role.BIDDER:
        actor = make_member(role, organisation=supplier.organisation)
    else:
        actor = make_member(role)
    before = _counts()

    # when
    with pytest.raises(SupplierNotAllowed):
        services.supplier_invite_representative(
            actor=actor, supplier=supplier, email="x@example.org", name="X", role="supplier_admin"
        )

    # then
    assert _counts() == before
