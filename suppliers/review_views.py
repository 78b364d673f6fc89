"""The verifying officers' pages: the review queue, one registration, the decisions.

Each decision is a POST form to its own URL; it parses, calls one service and
redirects back to the registration. A refusal of the service (a missing
reason, a past date, a decision the registration's state no longer allows)
is shown on the page, never as a 500.
"""

import datetime
import itertools
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_fsm import can_proceed

from accounts.permissions import Perm, has_perm
from core import cpv
from core.clock import db_now
from core.exceptions import DomainError, InvalidTransition
from core.forms import add_domain_error
from core.formtokens import once_per_form_token

from . import countries, selectors, services
from .models import ChangeRequestItem, DocumentKind, Supplier, SupplierState
from .review_filters import ReviewFilter
from .review_forms import (
    DebarForm,
    EndDebarmentForm,
    ReinstateForm,
    RequestChangesForm,
    SuspendForm,
    VerifyForm,
)

PAGE_SIZE = 25

# How the timeline names each audited action.
ACTION_LABELS = {
    "supplier.registered": gettext_lazy("Registration started"),
    "supplier.updated": gettext_lazy("Registration changed"),
    "supplier.document_uploaded": gettext_lazy("Document uploaded"),
    "supplier.submitted": gettext_lazy("Submitted for verification"),
    "supplier.changes_requested": gettext_lazy("Changes requested"),
    "supplier.verified": gettext_lazy("Verified"),
    "supplier.suspended": gettext_lazy("Suspended"),
    "supplier.reinstated": gettext_lazy("Reinstated"),
    "supplier.debarred": gettext_lazy("Debarred"),
    "supplier.debarment_ended": gettext_lazy("Debarment ended"),
    "supplier.document_expiry_warned": gettext_lazy("Warned: a document expires soon"),
    "supplier.documents_expired": gettext_lazy("A required document expired"),
    "supplier.documents_renewed": gettext_lazy("Expired documents renewed"),
    "supplier.representative_added": gettext_lazy("Representative added"),
}


def document_download_url(document) -> str:
    """The supplier side's permission-checked download of one document version."""
    return reverse(
        "suppliers:document_download", kwargs={"pk": document.supplier_id, "doc_pk": document.pk}
    )


def officer_required(view):
    """Anonymous users log in; users who do not verify registrations get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_perm(request.user, Perm.VERIFY_SUPPLIERS):
            raise DjangoPermissionDenied(_("Only verifying officers may review registrations."))
        return view(request, *args, **kwargs)

    return wrapped


# --- The queue ------------------------------------------------------------------------


@require_safe
@officer_required
def queue(request):
    filterset = ReviewFilter(request.GET, queryset=selectors.reviewable_suppliers())
    valid = filterset.is_valid()
    suppliers = filterset.qs if valid else selectors.reviewable_suppliers().none()
    page_obj = Paginator(suppliers, PAGE_SIZE).get_page(request.GET.get("page"))
    now = db_now()
    rows = [
        {
            "supplier": supplier,
            "country_name": countries.name(supplier.country),
            "waiting_days": selectors.waiting_days(supplier, now=now),
        }
        for supplier in page_obj
    ]
    return render(
        request,
        "suppliers/review/queue.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "rows": rows,
            "showing_queue": filterset.form.cleaned_data.get("state") == SupplierState.SUBMITTED
            if valid
            else False,
        },
        status=200 if valid else 400,
    )


# --- One registration -------------------------------------------------------------------


def _profile_rows(supplier):
    rows = []
    for name in services.PROFILE_FIELDS:
        label = capfirst(Supplier._meta.get_field(name).verbose_name)
        value = getattr(supplier, name)
        if name == "country":
            value = f"{countries.name(value)} ({value})" if value else ""
        elif name == "cpv_codes":
            value = [(code, cpv.label(code)) for code in value if cpv.is_valid(code)]
        rows.append({"name": name, "label": label, "value": value})
    return rows


def _documents_by_kind(supplier):
    documents = list(supplier.documents.all())  # prefetched: kind, newest version first
    today = db_now().date()
    soon = today + datetime.timedelta(days=settings.SUPPLIER_EXPIRY_WARNING_DAYS)
    groups = []
    for kind, versions in itertools.groupby(documents, key=lambda d: d.kind):
        versions = list(versions)
        for document in versions:
            document.download_url = document_download_url(document)
            expires = document.expires_on
            document.expired = expires is not None and expires < today
            document.expires_soon = expires is not None and today <= expires <= soon
        groups.append({"kind": kind, "label": DocumentKind(kind).label, "versions": versions})
    return groups


def _target_label(item) -> str:
    if item.target_type == ChangeRequestItem.Target.DOCUMENT:
        return str(DocumentKind(item.target).label)
    return capfirst(Supplier._meta.get_field(item.target).verbose_name)


def _change_requests(supplier):
    requests = list(supplier.change_requests.all())
    for request in requests:
        request.reasons = [
            {"item": item, "label": _target_label(item)} for item in request.items.all()
        ]
    return requests


def _timeline(supplier):
    events = list(selectors.supplier_timeline(supplier))
    for event in events:
        event.label = ACTION_LABELS.get(event.action, event.action)
    return events


@dataclass
class Decision:
    form: type
    # The transition method whose `can_proceed` decides whether the form is offered.
    transition: str
    done: str
    oversight_only: bool = False

    def carry_out(self, *, actor, supplier, data):
        raise NotImplementedError


class _Verify(Decision):
    def carry_out(self, *, actor, supplier, data):
        services.supplier_verify(actor=actor, supplier=supplier, reason=data["note"])


class _RequestChanges(Decision):
    def carry_out(self, *, actor, supplier, data):
        services.supplier_request_changes(actor=actor, supplier=supplier, items=data["items"])


class _Suspend(Decision):
    def carry_out(self, *, actor, supplier, data):
        services.supplier_suspend(actor=actor, supplier=supplier, reason=data["reason"])


class _Reinstate(Decision):
    def carry_out(self, *, actor, supplier, data):
        services.supplier_reinstate(actor=actor, supplier=supplier, reason=data["reason"])


class _Debar(Decision):
    def carry_out(self, *, actor, supplier, data):
        services.supplier_debar(
            actor=actor, supplier=supplier, reason=data["reason"], until=data["until"]
        )


class _EndDebarment(Decision):
    def carry_out(self, *, actor, supplier, data):
        services.supplier_end_debarment(actor=actor, supplier=supplier, reason=data["reason"])


DECISIONS = {
    "verify": _Verify(VerifyForm, "verify", gettext_lazy("The registration is verified.")),
    "request_changes": _RequestChanges(
        RequestChangesForm,
        "request_changes",
        gettext_lazy("The registration went back to the supplier with your reasons."),
    ),
    "suspend": _Suspend(SuspendForm, "suspend", gettext_lazy("The supplier is suspended.")),
    "reinstate": _Reinstate(
        ReinstateForm, "reinstate", gettext_lazy("The supplier is reinstated.")
    ),
    "debar": _Debar(
        DebarForm, "debar", gettext_lazy("The supplier is debarred."), oversight_only=True
    ),
    "end_debarment": _EndDebarment(
        EndDebarmentForm,
        "end_debarment",
        gettext_lazy("The debarment has ended."),
        oversight_only=True,
    ),
}


def offered_decisions(user, supplier) -> dict[str, bool]:
    """Which decisions the page offers: what the state allows and the user may decide."""
    may_debar = has_perm(user, Perm.DEBAR_SUPPLIERS, supplier)
    return {
        name: can_proceed(getattr(supplier, decision.transition))
        and (may_debar or not decision.oversight_only)
        for name, decision in DECISIONS.items()
    }


def _render_detail(request, supplier, *, bound=None, error=None, status=200):
    forms = {name: decision.form() for name, decision in DECISIONS.items()}
    if bound is not None:
        forms[bound.name] = bound
    return render(
        request,
        "suppliers/review/detail.html",
        {
            "supplier": supplier,
            "profile_rows": _profile_rows(supplier),
            "documents": _documents_by_kind(supplier),
            "change_requests": _change_requests(supplier),
            "timeline": _timeline(supplier),
            "eligibility": selectors.supplier_eligibility(supplier),
            "offered": offered_decisions(request.user, supplier),
            "forms": forms,
            "decision_error": error,
            "bound_form": bound,
            "waiting_days": selectors.waiting_days(supplier, now=db_now()),
        },
        status=status,
    )


def _get_supplier(pk) -> Supplier:
    try:
        supplier = selectors.supplier_detail(pk)
    except Supplier.DoesNotExist:
        raise Http404 from None
    if not selectors.reviewable(supplier):
        # Not submitted yet: nothing for an officer to review.
        raise Http404
    return supplier


@require_safe
@officer_required
def detail(request, pk):
    return _render_detail(request, _get_supplier(pk))


@require_POST
@officer_required
@once_per_form_token
def decide(request, pk, decision):
    spec = DECISIONS[decision]
    if spec.oversight_only and not has_perm(request.user, Perm.DEBAR_SUPPLIERS):
        raise DjangoPermissionDenied(_("Only the oversight body decides on debarments."))
    supplier = _get_supplier(pk)
    form = spec.form(request.POST)
    error = _("The decision was not recorded: correct the form below.")
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        if isinstance(form, RequestChangesForm):
            data["items"] = form.items()
        try:
            spec.carry_out(actor=request.user, supplier=supplier, data=data)
        except InvalidTransition:
            supplier = _get_supplier(pk)
            error = _(
                "This decision is not possible now: the registration is “%(state)s”. "
                "Someone may have decided on it in the meantime."
            ) % {"state": supplier.get_state_display()}
            status = 409
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, spec.done)
            return redirect("supplier_review:detail", pk=supplier.pk)
    return _render_detail(request, _get_supplier(pk), bound=form, error=error, status=status)
