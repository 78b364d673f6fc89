"""Reads about suppliers that views and other apps (bidding) use."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from core.clock import db_now
from core.templatetags.panjere import localdate

from .models import ChangeRequest, DocumentKind, Supplier, SupplierDocument, SupplierState

# --- what a registration's state means for its pages and services ---------------------------

# The states in which the supplier's people may change the registration.
EDITABLE_STATES = frozenset({SupplierState.DRAFT, SupplierState.CHANGES_REQUESTED})
# The states in which no new version of a document is taken: under verification, or debarred.
DOCUMENTS_FROZEN_STATES = frozenset({SupplierState.SUBMITTED, SupplierState.DEBARRED})
# The tone of a state's badge (Bootstrap's text-bg-*), the same on every page; others "secondary".
STATE_TONES = {
    SupplierState.VERIFIED: "success",
    SupplierState.CHANGES_REQUESTED: "warning",
    SupplierState.SUBMITTED: "info",
    SupplierState.SUSPENDED: "danger",
    SupplierState.DEBARRED: "danger",
}


def state_tone(state: str) -> str:
    return STATE_TONES.get(state, "secondary")


def registration_editable(supplier: Supplier) -> bool:
    """Whether the supplier's people may change the registration now."""
    return supplier.state in EDITABLE_STATES


def documents_renewable(supplier: Supplier) -> bool:
    """Whether a new version of a document is taken now (a verified supplier renews at any time)."""
    return supplier.state not in DOCUMENTS_FROZEN_STATES


def awaiting_verification(supplier: Supplier) -> bool:
    """Submitted, and not yet decided by an officer."""
    return supplier.state == SupplierState.SUBMITTED


def reviewable(supplier: Supplier) -> bool:
    """Whether officers see the registration: once it was submitted (a draft is the supplier's)."""
    return supplier.state != SupplierState.DRAFT


@dataclass(frozen=True)
class RegistrationStatus:
    """What the supplier's own pages say about its state, each fact named once."""

    is_draft: bool
    awaiting_verification: bool
    changes_requested: bool
    debarred: bool
    editable: bool
    documents_renewable: bool


def registration_status(supplier: Supplier) -> RegistrationStatus:
    return RegistrationStatus(
        is_draft=supplier.state == SupplierState.DRAFT,
        awaiting_verification=awaiting_verification(supplier),
        changes_requested=supplier.state == SupplierState.CHANGES_REQUESTED,
        debarred=supplier.state == SupplierState.DEBARRED,
        editable=registration_editable(supplier),
        documents_renewable=documents_renewable(supplier),
    )


def waiting_days(supplier: Supplier, *, now) -> int | None:
    """How many whole days the registration has waited for verification (None if it does not)."""
    if not awaiting_verification(supplier) or supplier.submitted_at is None:
        return None
    return (now - supplier.submitted_at).days


@dataclass(frozen=True)
class Ineligibility:
    code: str
    message: str


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: list[Ineligibility] = field(default_factory=list)


def supplier_eligibility(supplier: Supplier, *, today: datetime.date | None = None) -> Eligibility:
    """Whether `supplier` may bid now and, if not, every reason why.

    Computed from the registration's state and its current documents at the
    database's date, so an expired document counts from the day it expires,
    whatever the daily job has marked yet.
    """
    today = today or db_now().date()
    reasons = []
    if supplier.state == SupplierState.DEBARRED:
        until = localdate(supplier.debarred_until) if supplier.debarred_until else "—"
        reasons.append(
            Ineligibility(
                "supplier.debarred",
                _("The supplier is debarred until %(until)s.") % {"until": until},
            )
        )
    elif supplier.state == SupplierState.SUSPENDED:
        reasons.append(Ineligibility("supplier.suspended", _("The supplier is suspended.")))
    elif supplier.state != SupplierState.VERIFIED:
        reasons.append(
            Ineligibility("supplier.not_verified", _("The registration is not verified yet."))
        )
    current = {
        doc.kind: doc
        for doc in SupplierDocument.objects.filter(
            supplier=supplier, is_current=True, kind__in=settings.SUPPLIER_REQUIRED_DOCUMENTS
        )
    }
    for kind in settings.SUPPLIER_REQUIRED_DOCUMENTS:
        label = DocumentKind(kind).label
        document = current.get(kind)
        if document is None:
            reasons.append(
                Ineligibility(
                    "supplier.document_missing",
                    _("The required document is missing: %(kind)s.") % {"kind": label},
                )
            )
        elif document.expires_on is not None and document.expires_on < today:
            reasons.append(
                Ineligibility(
                    "supplier.document_expired",
                    _("The required document expired on %(date)s: %(kind)s.")
                    % {"date": localdate(document.expires_on), "kind": label},
                )
            )
    return Eligibility(eligible=not reasons, reasons=reasons)


def suppliers_for_user(user) -> QuerySet[Supplier]:
    """The suppliers whose organisation `user` is an active member of."""
    return Supplier.objects.filter(
        organisation__memberships__user=user, organisation__memberships__is_active=True
    ).distinct()


def review_queue() -> QuerySet[Supplier]:
    """Registrations awaiting an officer's decision, oldest submission first."""
    return (
        Supplier.objects.filter(state=SupplierState.SUBMITTED)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


def supplier_by_pk(pk) -> Supplier | None:
    """One supplier's row, read afresh, or None if there is none."""
    return Supplier.objects.filter(pk=pk).first()


def suppliers_by_pks(pks) -> QuerySet[Supplier]:
    """These suppliers, by legal name."""
    return Supplier.objects.filter(pk__in=list(pks)).order_by("legal_name", "pk")


def verified_suppliers() -> QuerySet[Supplier]:
    """Verified suppliers, oldest registration first."""
    return Supplier.objects.filter(state=SupplierState.VERIFIED).order_by("pk")


def suppliers_eligible_now(*, query: str = "") -> QuerySet[Supplier]:
    """Suppliers that may bid now, matching `query` (name or registration number), by name.

    The same rule as `supplier_eligibility` in one query: verified (so neither
    suspended nor debarred) and holding a current, unexpired version of every
    required document at the database's date.
    """
    today = db_now().date()
    required = list(settings.SUPPLIER_REQUIRED_DOCUMENTS)
    valid_documents = Q(
        documents__is_current=True,
        documents__kind__in=required,
    ) & (Q(documents__expires_on__isnull=True) | Q(documents__expires_on__gte=today))
    queryset = (
        Supplier.objects.filter(state=SupplierState.VERIFIED)
        .annotate(valid_documents=Count("documents__kind", filter=valid_documents, distinct=True))
        .filter(valid_documents=len(required))
        .select_related("organisation")
        .order_by("legal_name", "pk")
    )
    query = " ".join(query.split())
    if query:
        queryset = queryset.filter(
            Q(legal_name__icontains=query)
            | Q(legal_name_fa__icontains=query)
            | Q(registration_number__icontains=query)
        )
    return queryset


def document_kind_labels(kinds) -> list[str]:
    """The labels of these document kinds in the active language (an unknown kind as it is)."""
    labels = dict(DocumentKind.choices)
    return [labels.get(kind, kind) for kind in kinds]


def supplier_detail(pk) -> Supplier:
    """A supplier with every document version and change request, in two queries more."""
    return (
        Supplier.objects.select_related("organisation")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=SupplierDocument.objects.select_related("uploaded_by").order_by(
                    "kind", "-version"
                ),
            ),
            Prefetch(
                "change_requests",
                queryset=ChangeRequest.objects.select_related("requested_by").prefetch_related(
                    "items"
                ),
            ),
        )
        .get(pk=pk)
    )


def open_change_request(supplier: Supplier) -> ChangeRequest | None:
    return (
        ChangeRequest.objects.filter(supplier=supplier, resolved_at__isnull=True)
        .prefetch_related("items")
        .first()
    )


def debarment_list() -> QuerySet[Supplier]:
    """The public list of debarred suppliers, most recent first."""
    return Supplier.objects.filter(state=SupplierState.DEBARRED).order_by(
        "-debarred_from", "legal_name"
    )


def documents_expiring(*, today: datetime.date, within_days: int) -> QuerySet[SupplierDocument]:
    """Current documents that expire in the next `within_days` days and were not warned about."""
    return SupplierDocument.objects.filter(
        is_current=True,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=within_days),
        expiry_warned_on__isnull=True,
    ).select_related("supplier")


# --- The officers' side: review list, dashboard summary, timeline ---------------------


def reviewable_suppliers() -> QuerySet[Supplier]:
    """Every registration an officer may look at (drafts are the supplier's own business)."""
    return (
        Supplier.objects.exclude(state=SupplierState.DRAFT)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


def review_queue_summary() -> tuple[int, datetime.datetime | None]:
    """How many registrations await verification, and since when the oldest has waited."""
    summary = review_queue().aggregate(count=Count("pk"), oldest=Min("submitted_at"))
    return summary["count"], summary["oldest"]


def supplier_timeline(supplier: Supplier):
    """The audit events about `supplier`, oldest first."""
    from audit.selectors import object_timeline

    return object_timeline(object_type="suppliers.supplier", object_id=str(supplier.pk))


# --- The supplier's side: its people and its documents ------------------------------------


def supplier_representatives(supplier: Supplier):
    """The active members of the supplier's organisation with their roles, by name."""
    from accounts.models import Membership

    return (
        Membership.objects.filter(organisation_id=supplier.organisation_id, is_active=True)
        .select_related("user")
        .order_by("user__name", "user__email", "role")
    )


def current_documents_expiring(
    supplier: Supplier, *, today: datetime.date, within_days: int
) -> QuerySet[SupplierDocument]:
    """The supplier's current documents that expire today or in the next `within_days` days."""
    return SupplierDocument.objects.filter(
        supplier=supplier,
        is_current=True,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=within_days),
    ).order_by("expires_on", "kind")
