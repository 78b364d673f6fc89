"""The steps every tender service shares: permission, reason, state, transition, audit role."""

from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import Role
from accounts.permissions import Perm, has_perm
from audit.transitions import run_transition

from ..exceptions import (
    ReasonRequired,
    TenderInvalidTransition,
    TenderNotAllowed,
    TenderNotEditable,
)
from ..lock_objects import tender_for_update
from ..models import Tender, TenderState


def require(allowed: bool) -> None:
    """Refuse unless the permission check `allowed` passed."""
    if not allowed:
        raise TenderNotAllowed()


def clean_reason(value, *, field: str = "reason") -> str:
    """The stripped reason; a refusal tied to `field` when there is none."""
    reason = "" if value is None else str(value).strip()
    if not reason:
        raise ReasonRequired(field=field)
    return reason


def ensure_can(tender: Tender, transition) -> None:
    """Refuse, before any validation, a transition the current state does not allow."""
    if not can_proceed(transition):
        raise TenderInvalidTransition(
            _("“%(action)s” is not possible while the tender is “%(state)s”.")
            % {
                "action": transition.__name__.replace("_", " "),
                "state": TenderState(tender.state).label,
            },
            params={"from": tender.state, "transition": transition.__name__},
        )


def run_tender_transition(
    tender, transition, *, actor, action, update_fields=(), reason="", payload=None, **kwargs
):
    """Run `transition` with its audit event (`action`), saving `update_fields` and the time."""
    run_transition(
        tender,
        transition,
        actor=actor,
        action=action,
        reason=reason,
        payload=payload,
        update_fields=[*update_fields, "updated_at"],
        error=TenderInvalidTransition,
        **kwargs,
    )


def require_draft(tender: Tender) -> None:
    """Refuse a change to a tender that is no longer a draft."""
    if tender.state != TenderState.DRAFT:
        raise TenderNotEditable(params={"state": tender.state})


def locked_draft(actor, tender_id) -> Tender:
    """The draft, locked, if `actor` may prepare it (else a domain error)."""
    tender = tender_for_update(tender_id)
    require(has_perm(actor, Perm.DRAFT_TENDER, tender))
    require_draft(tender)
    return tender


def buyer_role_payload(tender: Tender) -> dict:
    """The capacity of a buyer-side action on the audit trail: its buyer, as an officer."""
    return {"organisation": tender.buyer, "role": Role.PROCUREMENT_OFFICER}
