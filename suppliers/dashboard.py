"""The supplier's items on the one-window dashboard: what is missing, asked or expiring."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import active_roles
from core.clock import db_now
from core.dashboard import ActionItem
from core.templatetags.panjere import localdate, localnumber

from . import permissions, selectors, services
from .models import SupplierState
from .views import isolated


def _items_for(supplier, user, today) -> list[ActionItem]:
    name = isolated(supplier.legal_name)
    detail_url = reverse("suppliers:detail", args=[supplier.pk])
    may_edit = permissions.can_edit(user, supplier)
    items = []
    if supplier.state == SupplierState.DRAFT:
        missing = services.missing_for_submission(supplier)
        if missing:
            items.append(
                ActionItem(
                    title=_("Complete the registration of %(name)s") % {"name": name},
                    detail=" ".join(missing),
                    url=reverse("suppliers:step_company", args=[supplier.pk])
                    if may_edit
                    else detail_url,
                    count=len(missing),
                    level="warning",
                )
            )
        else:
            items.append(
                ActionItem(
                    title=_("Submit the registration of %(name)s") % {"name": name},
                    detail=_("It is complete: submit it for verification."),
                    url=reverse("suppliers:step_review", args=[supplier.pk])
                    if may_edit
                    else detail_url,
                    level="warning",
                )
            )
    elif supplier.state == SupplierState.CHANGES_REQUESTED:
        change_request = selectors.open_change_request(supplier)
        reasons = list(change_request.items.all()) if change_request else []
        items.append(
            ActionItem(
                title=_("Changes requested to the registration of %(name)s") % {"name": name},
                detail=ngettext(
                    "An officer asked for %(count)s change. Fix it and submit again.",
                    "An officer asked for %(count)s changes. Fix them and submit again.",
                    len(reasons),
                )
                % {"count": localnumber(len(reasons))},
                url=detail_url,
                count=len(reasons),
                level="danger",
            )
        )
    elif supplier.state == SupplierState.SUBMITTED:
        items.append(
            ActionItem(
                title=_("%(name)s awaits verification") % {"name": name},
                detail=_("An officer is checking the registration; you will be told the outcome."),
                url=detail_url,
            )
        )
    elif supplier.state == SupplierState.SUSPENDED:
        items.append(
            ActionItem(
                title=_("%(name)s is suspended and may not bid") % {"name": name},
                detail=supplier.suspension_reason,
                url=detail_url,
                level="danger",
            )
        )
    elif supplier.state == SupplierState.DEBARRED:
        items.append(
            ActionItem(
                title=_("%(name)s is debarred until %(date)s")
                % {"name": name, "date": localdate(supplier.debarred_until)},
                detail=supplier.debarment_reason,
                url=detail_url,
                level="danger",
            )
        )

    if supplier.state in {SupplierState.DRAFT, SupplierState.SUBMITTED}:
        return items

    eligibility = selectors.supplier_eligibility(supplier, today=today)
    expired = [r for r in eligibility.reasons if r.code == "supplier.document_expired"]
    if expired:
        items.append(
            ActionItem(
                title=_("%(name)s may not bid: a required document has expired") % {"name": name},
                detail=" ".join(reason.message for reason in expired),
                url=reverse("suppliers:step_documents", args=[supplier.pk])
                if may_edit
                else detail_url,
                level="danger",
            )
        )
    for document in selectors.current_documents_expiring(
        supplier, today=today, within_days=settings.SUPPLIER_EXPIRY_WARNING_DAYS
    ):
        items.append(
            ActionItem(
                title=_("“%(kind)s” of %(name)s expires on %(date)s")
                % {
                    "kind": document.get_kind_display(),
                    "name": name,
                    "date": localdate(document.expires_on),
                },
                detail=_("Upload the renewed document before then."),
                url=reverse("suppliers:step_documents", args=[supplier.pk])
                + f"?kind={document.kind}"
                if may_edit
                else detail_url,
                level="warning",
            )
        )
    if supplier.state == SupplierState.VERIFIED and eligibility.eligible:
        items.append(
            ActionItem(
                title=_("%(name)s is verified") % {"name": name},
                detail=_("The company may take part in tenders."),
                url=detail_url,
            )
        )
    return items


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
