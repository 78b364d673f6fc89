"""The rules of the tender permission names, per tender (accounts.permissions.Perm).

Buyer-side names are scoped to the tender's buyer: an officer of one procuring
entity cannot touch another's tenders (the tender's `organisation_id` is its
buyer's). On top of the role, a name may ask something of *this* tender:

- `DECIDE_APPROVAL`: the tender's designated approver, still an approver of
  its buyer, who neither drafted nor submitted it (four eyes);
- `SIT_ON_COMMITTEE` / `OPEN_BIDS`: a member of this tender's (opening)
  committee, still a member of its buyer;
- `EVALUATE_BIDS`: a member of this tender's evaluation committee, evaluator
  of its buyer, and not recused (`is_recused`, the extension point the
  evaluation app's conflict-of-interest declarations plug into);
- `READ_KEY_SHARES`: a member of this tender's opening committee (their own
  sealed shares of its keys);
- `BID_ON_TENDER`: someone who may bid for this supplier (`SupplierOnTender`),
  the supplier verified and, for a restricted tender, invited.

Without an object a name answers “somewhere” (menus, list pages), like the
role-based names.
"""

from dataclasses import dataclass

import rules

from accounts.permissions import Perm
from accounts.rules import add, by_role, is_official, role_grants

from .models import CommitteeKind, ProcurementMethod, Tender, TenderState


@dataclass(frozen=True)
class SupplierOnTender:
    """The object of `BID_ON_TENDER`: a supplier, on a tender."""

    supplier: object
    tender: Tender

    @property
    def organisation_id(self) -> int:
        return self.supplier.organisation_id


def _tender(obj) -> Tender | None:
    return obj if isinstance(obj, Tender) else None


@rules.predicate
def is_designated_approver(user, tender) -> bool:
    """The approver the officers named on this tender."""
    return tender is None or getattr(tender, "approver_id", None) == user.pk


@rules.predicate
def is_second_pair_of_eyes(user, tender) -> bool:
    """Four eyes: `user` neither prepared the tender nor submitted it for approval."""
    if _tender(tender) is None:
        return True
    return user.pk not in {tender.created_by_id, tender.submitted_by_id}


@rules.predicate
def is_draft(user, tender) -> bool:
    return _tender(tender) is None or tender.state == TenderState.DRAFT


@rules.predicate
def is_restricted(user, tender) -> bool:
    return _tender(tender) is None or tender.procurement_method == ProcurementMethod.RESTRICTED


@rules.predicate
def takes_bids(user, tender) -> bool:
    """Open for bids: the answers and amendments a published tender may still receive."""
    from django_fsm import can_proceed

    return _tender(tender) is None or can_proceed(tender.close)


def committee_member(*kinds: str) -> rules.Predicate:
    """A member of this tender's committee (of `kinds`; any kind when none is given)."""

    def check(user, tender) -> bool:
        if _tender(tender) is None:
            return True
        memberships = tender.committee_memberships.filter(user_id=user.pk)
        if kinds:
            memberships = memberships.filter(kind__in=kinds)
        return memberships.exists()

    name = "committee_member" + (":" + ",".join(kinds) if kinds else "")
    return rules.predicate(check, name=name)


def is_recused(user, tender) -> bool:
    """Whether `user` stepped aside from evaluating `tender` (a conflict of interest).

    No declaration exists yet: the evaluation app will record them and answer
    here. Until then nobody is recused.
    """
    return False


@rules.predicate
def not_recused(user, tender) -> bool:
    return _tender(tender) is None or not is_recused(user, tender)


@rules.predicate
def supplier_may_bid_on(user, target) -> bool:
    """The supplier is verified and, for a restricted tender, invited to it."""
    from suppliers.models import SupplierState

    if not isinstance(target, SupplierOnTender):
        return target is None
    if target.supplier.state != SupplierState.VERIFIED:
        return False
    tender = target.tender
    if tender.procurement_method == ProcurementMethod.RESTRICTED:
        return tender.invitations.filter(supplier_id=target.supplier.pk).exists()
    return True


@rules.predicate
def supplier_is_verified(user, supplier) -> bool:
    from suppliers.models import SupplierState

    return supplier is None or supplier.state == SupplierState.VERIFIED


prepares = by_role(Perm.DRAFT_TENDER)
approves = by_role(Perm.APPROVE_TENDER)

add(Perm.DRAFT_TENDER, prepares)
add(Perm.APPROVE_TENDER, approves)
add(Perm.EDIT_DRAFT_TENDER, prepares & is_draft)
add(Perm.EDIT_INVITATIONS, prepares & is_draft & is_restricted)
add(Perm.ANSWER_CLARIFICATIONS, prepares & takes_bids)
add(Perm.AMEND_TENDER, prepares & takes_bids)
add(Perm.DECIDE_APPROVAL, approves & is_designated_approver & is_second_pair_of_eyes)
add(Perm.CANCEL_TENDER, prepares | approves)
add(Perm.VIEW_UNPUBLISHED_TENDER, prepares | approves | by_role(Perm.VIEW_AUDIT))
add(Perm.RECORD_OUTAGE, by_role(Perm.RECORD_OUTAGE))
add(Perm.ASK_CLARIFICATION, by_role(Perm.SUBMIT_BID) & supplier_is_verified)
add(Perm.FOLLOW_TENDERS, is_official)
add(
    Perm.SIT_ON_COMMITTEE,
    is_official
    & (role_grants(Perm.OPEN_BIDS) | role_grants(Perm.EVALUATE_BIDS))
    & committee_member(),
)
add(Perm.OPEN_BIDS, by_role(Perm.OPEN_BIDS) & committee_member(CommitteeKind.OPENING))
# Keep an opening key (tenders.MemberKey): whoever holds the committee member role somewhere.
add(Perm.HOLD_OPENING_KEY, by_role(Perm.HOLD_OPENING_KEY))
# Fetch one's own sealed shares of this tender's keys: a member of its opening committee.
add(Perm.READ_KEY_SHARES, is_official & committee_member(CommitteeKind.OPENING))
add(
    Perm.EVALUATE_BIDS,
    by_role(Perm.EVALUATE_BIDS) & committee_member(CommitteeKind.EVALUATION) & not_recused,
)
add(Perm.BID_ON_TENDER, by_role(Perm.SUBMIT_BID) & supplier_may_bid_on)
