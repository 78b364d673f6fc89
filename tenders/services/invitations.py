"""Restricted tenders: the suppliers a draft invites, told when it is published."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm
from audit.services import record
from core.clock import db_now
from suppliers.selectors import supplier_by_pk, supplier_eligibility

from ..exceptions import (
    AlreadyInvited,
    InvitationNotFound,
    NotInvited,
    SupplierNotEligible,
    TenderNotRestricted,
)
from ..lock_objects import invitation_for_update, tender_for_update
from ..models import Invitation, ProcurementMethod, Tender
from ..notifications import notify_tender
from ..selectors import invited_supplier_people, supplier_may_take_part
from .steps import buyer_role_payload, require, require_draft


def tender_invite(*, actor, tender: Tender, supplier) -> Invitation:
    """Invite a supplier that may bid now to a restricted draft (its officer only)."""
    with transaction.atomic(durable=True):
        tender = _lock_invitable(actor, tender)
        supplier = supplier_by_pk(supplier.pk)
        now = db_now()
        eligibility = supplier_eligibility(supplier, today=now.date())
        if not eligibility.eligible:
            raise SupplierNotEligible(
                _("%(supplier)s cannot be invited: %(reasons)s")
                % {
                    "supplier": supplier.legal_name,
                    "reasons": " ".join(reason.message for reason in eligibility.reasons),
                },
                field="supplier",
                params={
                    "supplier_id": supplier.pk,
                    "reasons": [
                        {"code": reason.code, "message": reason.message}
                        for reason in eligibility.reasons
                    ],
                },
            )
        if Invitation.objects.filter(tender=tender, supplier=supplier).exists():
            raise AlreadyInvited(field="supplier", params={"supplier_id": supplier.pk})
        invitation = Invitation.objects.create(
            tender=tender, supplier=supplier, invited_by=actor, invited_at=now
        )
        record(
            action="tender.invitation_added",
            actor=actor,
            obj=tender,
            payload={"invitation_id": invitation.pk, **_invitation_payload(supplier)},
            **buyer_role_payload(tender),
        )
    return invitation


def tender_uninvite(*, actor, tender: Tender, supplier) -> None:
    """Withdraw a supplier's invitation to a restricted draft (its officer only)."""
    with transaction.atomic(durable=True):
        tender = _lock_invitable(actor, tender)
        invitation = invitation_for_update(tender=tender, supplier_id=supplier.pk)
        if invitation is None:
            raise InvitationNotFound(field="supplier", params={"supplier_id": supplier.pk})
        payload = {"invitation_id": invitation.pk, **_invitation_payload(invitation.supplier)}
        invitation.delete()
        record(
            action="tender.invitation_removed",
            actor=actor,
            obj=tender,
            payload=payload,
            **buyer_role_payload(tender),
        )


def _lock_invitable(actor, tender: Tender) -> Tender:
    """The tender, locked, if `actor` may change its invitations now (else a domain error)."""
    tender = tender_for_update(tender)
    require(has_perm(actor, Perm.DRAFT_TENDER, tender))
    if tender.procurement_method != ProcurementMethod.RESTRICTED:
        raise TenderNotRestricted(params={"procurement_method": tender.procurement_method})
    # The list is part of what the approver approves: it changes only with the draft.
    require_draft(tender)
    return tender


def _invitation_payload(supplier) -> dict:
    return {
        "supplier_id": supplier.pk,
        "supplier": supplier.legal_name,
        "registration_number": supplier.registration_number,
    }


def notify_invited(tender: Tender) -> None:
    """Tell the people of every invited supplier that the tender is published (after commit)."""
    people = invited_supplier_people(tender=tender)
    if people:
        notify_tender(tender, event="invited", recipients=people)


def check_may_take_part(tender: Tender, supplier) -> None:
    """On a restricted tender, only an invited supplier takes part (asks, and later bids)."""
    if not supplier_may_take_part(tender=tender, supplier=supplier):
        raise NotInvited(
            _("This tender is restricted to invited suppliers, and %(supplier)s is not invited.")
            % {"supplier": supplier.legal_name},
            field="supplier",
            params={"supplier_id": supplier.pk},
        )
