"""The per-tender rules (tenders/rules.py): who may do what to *this* tender."""

import pytest

from accounts.models import Membership, Role
from accounts.permissions import Perm, has_perm
from tenders.models import CommitteeKind, CommitteeMembership
from tenders.rules import SupplierOnTender
from tests.factories import make_member

from .factories import eligible_supplier, tender_in_state

pytestmark = pytest.mark.django_db


def test_the_designated_approver_decides_but_not_on_a_tender_they_drafted():
    # given a tender awaiting approval, and another approver of the same buyer
    tender, team = tender_in_state("awaiting_approval")
    colleague = make_member(Role.APPROVER, organisation=team.buyer)

    # then only the designated approver decides
    assert has_perm(team.approver, Perm.DECIDE_APPROVAL, tender) is True
    assert has_perm(colleague, Perm.DECIDE_APPROVAL, tender) is False
    assert has_perm(team.officer, Perm.DECIDE_APPROVAL, tender) is False

    # and four eyes: the approver who also drafted it may not decide
    tender.created_by = team.approver
    assert has_perm(team.approver, Perm.DECIDE_APPROVAL, tender) is False


def test_an_approver_who_left_the_buyer_no_longer_decides():
    tender, team = tender_in_state("awaiting_approval")
    Membership.objects.filter(user=team.approver).update(is_active=False)

    assert has_perm(team.approver, Perm.DECIDE_APPROVAL, tender) is False


def test_draft_only_and_open_only_rules():
    draft, team = tender_in_state("draft")
    published, _team = tender_in_state("published", team)

    assert has_perm(team.officer, Perm.EDIT_DRAFT_TENDER, draft) is True
    assert has_perm(team.officer, Perm.EDIT_DRAFT_TENDER, published) is False
    assert has_perm(team.officer, Perm.AMEND_TENDER, draft) is False
    assert has_perm(team.officer, Perm.AMEND_TENDER, published) is True
    assert has_perm(team.officer, Perm.ANSWER_CLARIFICATIONS, published) is True
    # an open tender's invitations are not editable (only a restricted draft's)
    assert has_perm(team.officer, Perm.EDIT_INVITATIONS, draft) is False


def test_committee_members_of_this_tender_only():
    # given two tenders of one buyer; the openers sit on the first's committee only
    tender, team = tender_in_state("published")
    other, _team = tender_in_state("published", team)
    CommitteeMembership.objects.filter(tender=other).delete()
    opener = team.opening[0]
    evaluator = team.evaluation[0]

    assert has_perm(opener, Perm.SIT_ON_COMMITTEE, tender) is True
    assert has_perm(opener, Perm.OPEN_BIDS, tender) is True
    assert has_perm(opener, Perm.EVALUATE_BIDS, tender) is False
    assert has_perm(evaluator, Perm.EVALUATE_BIDS, tender) is True
    assert has_perm(evaluator, Perm.OPEN_BIDS, tender) is False
    for user in (opener, evaluator):
        assert has_perm(user, Perm.SIT_ON_COMMITTEE, other) is False
    assert has_perm(team.officer, Perm.SIT_ON_COMMITTEE, tender) is False


def test_a_committee_member_who_left_the_buyer_sits_on_nothing():
    tender, team = tender_in_state("published")
    opener = team.opening[0]
    assert CommitteeMembership.objects.filter(
        tender=tender, user=opener, kind=CommitteeKind.OPENING
    ).exists()
    Membership.objects.filter(user=opener).update(is_active=False)

    assert has_perm(opener, Perm.SIT_ON_COMMITTEE, tender) is False
    assert has_perm(opener, Perm.OPEN_BIDS, tender) is False


def test_a_bidder_of_this_supplier_on_this_tender():
    # given a published open tender, a verified supplier and another company's admin
    tender, _team = tender_in_state("published")
    supplier, admin = eligible_supplier(legal_name="Bidding Builders")
    _other, stranger = eligible_supplier(legal_name="Other Builders")

    assert has_perm(admin, Perm.BID_ON_TENDER, SupplierOnTender(supplier, tender)) is True
    assert has_perm(stranger, Perm.BID_ON_TENDER, SupplierOnTender(supplier, tender)) is False


def test_a_restricted_tender_takes_bids_from_invited_suppliers_only():
    tender, _team = tender_in_state("published", procurement_method="restricted")
    invited = tender.invitations.order_by("pk").first().supplier
    invited_admin = Membership.objects.get(
        organisation_id=invited.organisation_id, role=Role.SUPPLIER_ADMIN
    ).user
    outsider, outsider_admin = eligible_supplier(legal_name="Uninvited Builders")

    assert has_perm(invited_admin, Perm.BID_ON_TENDER, SupplierOnTender(invited, tender)) is True
    assert has_perm(outsider_admin, Perm.BID_ON_TENDER, SupplierOnTender(outsider, tender)) is False


def test_auditors_see_unpublished_tenders_but_do_not_act_on_them():
    draft, _team = tender_in_state("draft")
    auditor = make_member(Role.AUDITOR)

    assert has_perm(auditor, Perm.VIEW_UNPUBLISHED_TENDER, draft) is True
    assert has_perm(auditor, Perm.CANCEL_TENDER, draft) is False
    assert has_perm(auditor, Perm.DRAFT_TENDER, draft) is False
