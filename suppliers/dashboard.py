"""The supplier's items on the one-window dashboard: what is missing, asked or expiring."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import Perm, active_roles, has_perm
from core.bilingual import local_text
from core.clock import db_now
from core.dashboard import ActionItem
from core.templatetags.panjere import localdate, localnumber

from . import selectors, services
from .models import SupplierState
from .views import isolated


@dataclass(frozen=True)
class _Panel:
    """One supplier as its dashboard items see it."""

    supplier: object
    name: str
    detail_url: str
    may_edit: bool

    def step_url(self, slug: str) -> str:
        """The registration step, for those who may edit it; the status page for the others."""
        if not self.may_edit:
            return self.detail_url
        return reverse(f"suppliers:step_{slug}", args=[self.supplier.pk])


def _items_for(supplier, user, today) -> list[ActionItem]:
    panel = _Panel(
        supplier=supplier,
        name=isolated(supplier.legal_name),
        detail_url=reverse("suppliers:detail", args=[supplier.pk]),
        may_edit=has_perm(user, Perm.MANAGE_SUPPLIER, supplier),
    )
    state_item = STATE_ITEMS.get(supplier.state)
    items = [state_item(panel)] if state_item else []
    if not selectors.reviewable(supplier) or selectors.awaiting_verification(supplier):
        # Nothing to say about documents until the registration is decided.
        return items
    eligibility = selectors.supplier_eligibility(supplier, today=today)
    items += _expired_items(panel, eligibility)
    items += _expiring_items(panel, today)
    if supplier.state == SupplierState.VERIFIED and eligibility.eligible:
        items.append(
            ActionItem(
                title=_("%(name)s is verified") % {"name": panel.name},
                detail=_("The company may take part in tenders."),
                url=panel.detail_url,
            )
        )
    return items


def _draft_item(panel: _Panel) -> ActionItem:
    missing = services.missing_for_submission(panel.supplier)
    if missing:
        return ActionItem(
            title=_("Complete the registration of %(name)s") % {"name": panel.name},
            detail=" ".join(missing),
            url=panel.step_url("company"),
            count=len(missing),
            level="warning",
        )
    return ActionItem(
        title=_("Submit the registration of %(name)s") % {"name": panel.name},
        detail=_("It is complete: submit it for verification."),
        url=panel.step_url("review"),
        level="warning",
    )


def _changes_requested_item(panel: _Panel) -> ActionItem:
    change_request = selectors.open_change_request(panel.supplier)
    reasons = list(change_request.items.all()) if change_request else []
    return ActionItem(
        title=_("Changes requested to the registration of %(name)s") % {"name": panel.name},
        detail=ngettext(
            "An officer asked for %(count)s change. Fix it and submit again.",
            "An officer asked for %(count)s changes. Fix them and submit again.",
            len(reasons),
        )
        % {"count": localnumber(len(reasons))},
        url=panel.detail_url,
        count=len(reasons),
        level="danger",
    )


def _submitted_item(panel: _Panel) -> ActionItem:
    return ActionItem(
        title=_("%(name)s awaits verification") % {"name": panel.name},
        detail=_("An officer is checking the registration; you will be told the outcome."),
        url=panel.detail_url,
    )


def _suspended_item(panel: _Panel) -> ActionItem:
    return ActionItem(
        title=_("%(name)s is suspended and may not bid") % {"name": panel.name},
        detail=panel.supplier.suspension_reason,
        url=panel.detail_url,
        level="danger",
    )


def _debarred_item(panel: _Panel) -> ActionItem:
    return ActionItem(
        title=_("%(name)s is debarred until %(date)s")
        % {"name": panel.name, "date": localdate(panel.supplier.debarred_until)},
        detail=str(local_text(panel.supplier, "debarment_reason")),
        url=panel.detail_url,
        level="danger",
    )


# What the dashboard says about each state of the registration (a verified one: nothing).
STATE_ITEMS = {
    SupplierState.DRAFT: _draft_item,
    SupplierState.CHANGES_REQUESTED: _changes_requested_item,
    SupplierState.SUBMITTED: _submitted_item,
    SupplierState.SUSPENDED: _suspended_item,
    SupplierState.DEBARRED: _debarred_item,
}


def _expired_items(panel: _Panel, eligibility) -> list[ActionItem]:
    expired = [r for r in eligibility.reasons if r.code == "supplier.document_expired"]
    if not expired:
        return []
    return [
        ActionItem(
            title=_("%(name)s may not bid: a required document has expired") % {"name": panel.name},
            detail=" ".join(reason.message for reason in expired),
            url=panel.step_url("documents"),
            level="danger",
        )
    ]


def _expiring_items(panel: _Panel, today) -> list[ActionItem]:
    documents = selectors.current_documents_expiring(
        panel.supplier, today=today, within_days=settings.SUPPLIER_EXPIRY_WARNING_DAYS
    )
    return [
        ActionItem(
            title=_("“%(kind)s” of %(name)s expires on %(date)s")
            % {
                "kind": document.get_kind_display(),
                "name": panel.name,
                "date": localdate(document.expires_on),
            },
            detail=_("Upload the renewed document before then."),
            url=panel.step_url("documents") + f"?kind={document.kind}"
            if panel.may_edit
            else panel.detail_url,
            level="warning",
        )
        for document in documents
    ]


def supplier_items(user) -> list[ActionItem]:
    """For the members of each supplier: its registration, its documents, its eligibility."""
    if not user.is_authenticated:
        return []
    suppliers = list(selectors.suppliers_for_user(user).order_by("legal_name", "pk"))
    if not suppliers:
        if active_roles(user):  # an official or an auditor: not a company's person
            return []
        return [
            ActionItem(
                title=_("Register your company"),
                detail=_(
                    "Register once; when an officer has verified it, it can bid in every tender."
                ),
                url=reverse("suppliers:register"),
            )
        ]
    today = db_now().date()
    return [item for supplier in suppliers for item in _items_for(supplier, user, today)]
