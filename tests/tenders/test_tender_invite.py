"""A restricted draft's officer invites suppliers that may bid now, and removes them."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from suppliers.models import Supplier
from tenders import services
from tenders.exceptions import (
    AlreadyInvited,
    InvitationNotFound,
    SupplierNotEligible,
    TenderNotAllowed,
    TenderNotEditable,
    TenderNotRestricted,
)
from tenders.models import Invitation
from tests.factories import make_member
from tests.suppliers.factories import supplier_in_state

from .factories import NOW, eligible_supplier, outsider, plain_user, tender_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_draft():
    return tender_in_state("draft", procurement_method="restricted")


def _invitations(tender):
    return list(
        Invitation.objects.filter(tender=tender)
        .order_by("pk")
        .values_list("supplier_id", flat=True)
    )


def test_the_officer_invites_an_eligible_supplier(restricted_draft):
    # given a restricted draft and a supplier that may bid now
    tender, team = restricted_draft
    supplier, _admin = eligible_supplier(legal_name="Alborz Road Builders Co.")

    # when the officer invites it
    invitation = services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)

    # then it is invited at the database time, and the invitation is on the record
    invitation.refresh_from_db()
    assert (invitation.tender, invitation.supplier, invitation.invited_by) == (
        tender,
        supplier,
        team.officer,
    )
    assert invitation.invited_at == NOW
    event = Event.objects.filter(action="tender.invitation_added").get()
    assert (event.actor_user, event.organisation, event.role) == (
        team.officer,
        team.buyer,
        Role.PROCUREMENT_OFFICER,
    )
    assert (event.object_type, event.object_id) == ("tenders.tender", str(tender.pk))
    assert event.payload == {
        "invitation_id": invitation.pk,
        "supplier_id": supplier.pk,
        "supplier": "Alborz Road Builders Co.",
        "registration_number": supplier.registration_number,
    }


def test_a_tender_returned_to_draft_can_change_its_invitations():
    # given a restricted tender the approver returned to its officer
    tender, team = tender_in_state("awaiting_approval", procurement_method="restricted")
    services.tender_return_to_draft(actor=team.approver, tender=tender, reasons="Invite one more")
    supplier, _admin = eligible_supplier()

    # when the officer invites another supplier
    services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)

    # then it is on the list with the three invited before
    assert len(_invitations(tender)) == 4
    assert supplier.pk in _invitations(tender)


def test_the_officer_removes_an_invitation(restricted_draft):
    # given a restricted draft with two invited suppliers
    tender, team = restricted_draft
    first, _admin = eligible_supplier(legal_name="First Co.")
    second, _admin = eligible_supplier(legal_name="Second Co.")
    services.tender_invite(actor=team.officer, tender=tender, supplier=first)
    invitation = services.tender_invite(actor=team.officer, tender=tender, supplier=second)

    # when the officer removes the second
    services.tender_uninvite(actor=team.officer, tender=tender, supplier=second)

    # then only the first is invited, and the removal is on the record
    assert _invitations(tender) == [first.pk]
    event = Event.objects.filter(action="tender.invitation_removed").get()
    assert event.actor_user == team.officer
    assert event.payload == {
        "invitation_id": invitation.pk,
        "supplier_id": second.pk,
        "supplier": "Second Co.",
        "registration_number": second.registration_number,
    }


# --- refusals: nothing changes, no event, no outbox row ---------------------------------------


@pytest.mark.parametrize("method", ["open", "rfq"])
def test_only_a_restricted_tender_has_invitations(method, nothing_written):
    # given an open (or RFQ) draft and an eligible supplier
    tender, team = tender_in_state("draft", procurement_method=method)
    supplier, _admin = eligible_supplier()

    # when the officer tries to invite it, then it is refused and nothing is written
    with nothing_written(), pytest.raises(TenderNotRestricted) as caught:
        services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)
    assert caught.value.code == "tender.not_restricted"
    assert caught.value.status == 409
    assert _invitations(tender) == []


@pytest.mark.parametrize("state", ["awaiting_approval", "published", "closed", "cancelled"])
def test_invitations_change_only_while_the_tender_is_a_draft(state, nothing_written):
    # given a restricted tender past its draft (three suppliers invited while it was one)
    tender, team = tender_in_state(state, procurement_method="restricted")
    invited = _invitations(tender)
    supplier, _admin = eligible_supplier()
    already = Supplier.objects.get(pk=invited[0]) if invited else supplier

    # when the officer tries to invite or to remove, then both are refused
    with nothing_written():
        with pytest.raises(TenderNotEditable) as caught:
            services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)
        with pytest.raises(TenderNotEditable):
            services.tender_uninvite(actor=team.officer, tender=tender, supplier=already)
    assert caught.value.code == "tender.not_editable"
    assert _invitations(tender) == invited


@pytest.mark.parametrize("state", ["draft", "submitted", "suspended", "debarred"])
def test_a_supplier_that_may_not_bid_now_is_not_invited(state, restricted_draft, nothing_written):
    # given a restricted draft and a supplier that is not verified, suspended or debarred
    tender, team = restricted_draft
    supplier, _admin, _reviewer = supplier_in_state(state, registration_number="30000000001")

    # when the officer tries to invite it, then it is refused with the reasons
    with nothing_written(), pytest.raises(SupplierNotEligible) as caught:
        services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)
    assert caught.value.code == "tender.supplier_not_eligible"
    assert caught.value.status == 422
    assert caught.value.field == "supplier"
    expected = {
        "draft": "supplier.not_verified",
        "submitted": "supplier.not_verified",
        "suspended": "supplier.suspended",
        "debarred": "supplier.debarred",
    }[state]
    assert [reason["code"] for reason in caught.value.params["reasons"]] == [expected]
    assert _invitations(tender) == []


def test_a_supplier_whose_required_document_expired_is_not_invited(
    restricted_draft, nothing_written
):
    # given a verified supplier whose documents expire the day before the database date
    tender, team = restricted_draft
    supplier, _admin = eligible_supplier()
    supplier.documents.update(expires_on=NOW.date() - datetime.timedelta(days=1))

    # when the officer tries to invite it, then it is refused: its documents expired
    with nothing_written(), pytest.raises(SupplierNotEligible) as caught:
        services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)
    codes = {reason["code"] for reason in caught.value.params["reasons"]}
    assert codes == {"supplier.document_expired"}


def test_a_supplier_is_invited_once(restricted_draft, nothing_written):
    # given a restricted draft with a supplier invited
    tender, team = restricted_draft
    supplier, _admin = eligible_supplier()
    services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)

    # when the officer invites it again, then it is refused and nothing is written
    with nothing_written(), pytest.raises(AlreadyInvited) as caught:
        services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)
    assert (caught.value.code, caught.value.status) == ("tender.already_invited", 409)
    assert _invitations(tender) == [supplier.pk]


def test_removing_a_supplier_that_is_not_invited_is_refused(restricted_draft, nothing_written):
    # given a restricted draft and a supplier it does not invite
    tender, team = restricted_draft
    supplier, _admin = eligible_supplier()

    # when the officer removes it, then it is refused and nothing is written
    with nothing_written(), pytest.raises(InvitationNotFound) as caught:
        services.tender_uninvite(actor=team.officer, tender=tender, supplier=supplier)
    assert (caught.value.code, caught.value.status) == ("tender.invitation_not_found", 404)


def _supplier_admin():
    _supplier, admin, _reviewer = supplier_in_state("verified", registration_number="40000000001")
    return admin


WRONG_ROLES = {
    "anonymous": AnonymousUser,
    "a user without a role": plain_user,
    "supplier's admin": _supplier_admin,
    "another buyer's officer": lambda: outsider(Role.PROCUREMENT_OFFICER),
    "the tender's approver": None,
    "an evaluator of the buyer": None,
}


@pytest.mark.parametrize("who", list(WRONG_ROLES))
def test_only_the_buyers_officer_changes_invitations(who, restricted_draft, nothing_written):
    # given a restricted draft with one supplier invited, and someone who is not its officer
    tender, team = restricted_draft
    invited, _admin = eligible_supplier()
    services.tender_invite(actor=team.officer, tender=tender, supplier=invited)
    other, _admin = eligible_supplier()
    actor = {
        "the tender's approver": team.approver,
        "an evaluator of the buyer": make_member(Role.EVALUATOR, organisation=team.buyer),
    }.get(who) or WRONG_ROLES[who]()

    # when they try to invite or remove, then both are refused and nothing is written
    with nothing_written():
        with pytest.raises(TenderNotAllowed):
            services.tender_invite(actor=actor, tender=tender, supplier=other)
        with pytest.raises(TenderNotAllowed):
            services.tender_uninvite(actor=actor, tender=tender, supplier=invited)
    assert _invitations(tender) == [invited.pk]


def test_the_invitation_time_is_the_database_time(restricted_draft):
    # given a restricted draft, and the database clock an hour later
    tender, team = restricted_draft
    supplier, _admin = eligible_supplier()
    later = NOW + datetime.timedelta(hours=1)

    # when the officer invites
    with frozen_at(later):
        invitation = services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)

    # then the invitation bears the database time
    invitation.refresh_from_db()
    assert invitation.invited_at == later


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_inviting_the_same_supplier_at_once_invite_it_once():
    # given a restricted draft with two officers, and an eligible supplier
    tender, team = tender_in_state("draft", procurement_method="restricted")
    second_officer = make_member(Role.PROCUREMENT_OFFICER, organisation=team.buyer)
    supplier, _admin = eligible_supplier()
    start = threading.Barrier(2)
    results, errors = [], []

    def invite(actor):
        try:
            start.wait(timeout=30)
            results.append(services.tender_invite(actor=actor, tender=tender, supplier=supplier))
        except AlreadyInvited as exc:
            errors.append(exc)
        finally:
            connection.close()

    # when both invite it at the same moment, each on its own connection
    threads = [threading.Thread(target=invite, args=(a,)) for a in (team.officer, second_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then one invitation, one event; the other officer is told it is already invited
    assert (len(results), len(errors)) == (1, 1)
    assert _invitations(tender) == [supplier.pk]
    assert Event.objects.filter(action="tender.invitation_added").count() == 1
