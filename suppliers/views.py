"""The supplier's pages: the registration wizard, its status page and document downloads.

Thin: parse with a form, call one service, render or redirect. A DomainError
becomes a form error on the field it names, never a 500. The officers' pages
live in review_views.py.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.permissions import Perm, has_perm
from accounts.selectors import pending_invitations_to
from core import cpv
from core.clock import db_now
from core.exceptions import DomainError
from core.forms import add_domain_error
from core.formtokens import once_per_form_token
from core.templatetags.panjere import localnumber

from . import countries, selectors, services
from .forms import (
    AddressForm,
    CompanyForm,
    CpvCodeForm,
    CpvSearchForm,
    DocumentForm,
    RegisterForm,
    RepresentativeForm,
    flag_requested_changes,
)
from .models import ChangeRequestItem, DocumentKind, Supplier, SupplierDocument
from .rules import is_member_of_supplier


def isolated(text) -> str:
    """A name or address set into a sentence, kept in its own direction.

    Messages are plain text, where <bdi> cannot be used: on right-to-left pages
    the Unicode isolates (FSI … PDI) keep "Alborz Co." from becoming ".Alborz Co".
    """
    return f"\u2068{text}\u2069" if translation.get_language_bidi() else str(text)


# --- The wizard's steps ------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    slug: str
    title: str


STEPS = (
    Step("company", gettext_lazy("Company")),
    Step("address", gettext_lazy("Address and contacts")),
    Step("categories", gettext_lazy("Business categories")),
    Step("representatives", gettext_lazy("Representatives")),
    Step("documents", gettext_lazy("Documents")),
    Step("review", gettext_lazy("Review and submit")),
)
STEP_SLUGS = [step.slug for step in STEPS]
# Which step holds each field an officer may ask to change.
FIELD_STEP = {
    **dict.fromkeys(CompanyForm.field_names, "company"),
    **dict.fromkeys(AddressForm.field_names, "address"),
    "cpv_codes": "categories",
}
CPV_RESULTS = 50


def _step_url(supplier, slug: str) -> str:
    return reverse(f"suppliers:step_{slug}", args=[supplier.pk])


def _next_step_url(supplier, slug: str) -> str:
    index = STEP_SLUGS.index(slug)
    return _step_url(supplier, STEP_SLUGS[min(index + 1, len(STEP_SLUGS) - 1)])


def _supplier(request, pk, *, edit: bool) -> Supplier:
    """The supplier, if the user may see it (and edit it, when `edit`); else 404/403."""
    supplier = get_object_or_404(Supplier.objects.select_related("organisation"), pk=pk)
    allowed = (
        has_perm(request.user, Perm.MANAGE_SUPPLIER, supplier)
        if edit
        else has_perm(request.user, Perm.VIEW_SUPPLIER, supplier)
    )
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))
    return supplier


def _target_label(item) -> str:
    if item.target_type == ChangeRequestItem.Target.DOCUMENT:
        return (
            DocumentKind(item.target).label if item.target in DocumentKind.values else item.target
        )
    try:
        return capfirst(Supplier._meta.get_field(item.target).verbose_name)
    except FieldDoesNotExist:  # a field that no longer exists still shows its name
        return item.target


@dataclass(frozen=True)
class RequestedChange:
    target_type: str
    target: str
    label: str
    reason: str
    step: str
    url: str


def _requested_changes(supplier) -> list[RequestedChange]:
    """The open change request's items, each with the step where it is fixed."""
    if not selectors.registration_status(supplier).changes_requested:
        return []
    change_request = selectors.open_change_request(supplier)
    if change_request is None:
        return []
    changes = []
    for item in change_request.items.all():
        if item.target_type == ChangeRequestItem.Target.DOCUMENT:
            step = "documents"
        else:
            step = FIELD_STEP.get(item.target, "company")
        changes.append(
            RequestedChange(
                target_type=item.target_type,
                target=item.target,
                label=_target_label(item),
                reason=item.reason,
                step=step,
                url=_step_url(supplier, step),
            )
        )
    return changes


def _wizard_context(supplier, slug: str, **extra) -> dict:
    changes = _requested_changes(supplier)
    steps = [
        {
            "slug": step.slug,
            "title": step.title,
            "number": number,
            "url": _step_url(supplier, step.slug),
            "current": step.slug == slug,
            "flagged": sum(1 for change in changes if change.step == step.slug),
        }
        for number, step in enumerate(STEPS, start=1)
    ]
    index = STEP_SLUGS.index(slug)
    return {
        "supplier": supplier,
        "steps": steps,
        "step": STEPS[index],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "previous_url": _step_url(supplier, STEP_SLUGS[index - 1]) if index else None,
        "next_url": _next_step_url(supplier, slug),
        "editable": selectors.registration_editable(supplier),
        "status": selectors.registration_status(supplier),
        "requested_changes": [change for change in changes if change.step == slug],
        **extra,
    }


def _reasons_by_target(changes) -> dict[str, list[str]]:
    reasons: dict[str, list[str]] = {}
    for change in changes:
        reasons.setdefault(change.target, []).append(change.reason)
    return reasons


# --- My companies and starting a registration -----------------------------------------------


@require_safe
@login_required
def mine(request):
    """The companies the user acts for, and a way to register another."""
    suppliers = selectors.suppliers_for_user(request.user).select_related("organisation")
    return render(request, "suppliers/mine.html", {"suppliers": suppliers})


@login_required
@once_per_form_token
def register(request):
    """Start a registration: the legal name and the country create the draft."""
    form = RegisterForm(request.POST or None, initial={"country": "IR"})
    if request.method == "POST" and form.is_valid():
        try:
            supplier = services.supplier_register(
                actor=request.user,
                legal_name=form.cleaned_data["legal_name"],
                country=form.cleaned_data["country"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("The registration of %(name)s is started. It is saved at every step.")
                % {"name": isolated(supplier.legal_name)},
            )
            return redirect("suppliers:step_company", pk=supplier.pk)
    return render(request, "suppliers/register.html", {"form": form})


# --- The profile steps: company, address and contacts --------------------------------------


def _profile_step(request, pk, *, slug: str, form_class, template: str):
    supplier = _supplier(request, pk, edit=True)
    initial = {name: getattr(supplier, name) for name in form_class.field_names}
    extra = {"country": supplier.country} if form_class is AddressForm else {}
    form = form_class(request.POST or None, initial=initial, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_update(
                actor=request.user,
                supplier=supplier,
                **{name: form.cleaned_data[name] for name in form_class.field_names},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_next_step_url(supplier, slug))
    context = _wizard_context(supplier, slug, form=form)
    flag_requested_changes(form, _reasons_by_target(context["requested_changes"]))
    if not context["editable"]:
        for field in form.fields.values():
            field.disabled = True
    return render(request, template, context)


@login_required
def step_company(request, pk):
    return _profile_step(
        request, pk, slug="company", form_class=CompanyForm, template="suppliers/wizard/form.html"
    )


@login_required
def step_address(request, pk):
    return _profile_step(
        request, pk, slug="address", form_class=AddressForm, template="suppliers/wizard/form.html"
    )


# --- Business categories: a searchable CPV picker that works without JavaScript ---------------


@login_required
def step_categories(request, pk):
    """GET ?q= searches the vocabulary; POST adds the ticked codes or removes one."""
    supplier = _supplier(request, pk, edit=True)
    search = CpvSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    form = CpvCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        query = request.POST.get("q", "").strip()
        chosen = list(supplier.cpv_codes)
        removed = request.POST.get("remove")
        if removed:
            chosen = [code for code in chosen if code != removed]
        else:
            added = [code.strip() for code in request.POST.getlist("add") if code.strip()]
            if form.cleaned_data["code"]:
                added.append(form.cleaned_data["code"].strip())
            chosen += [code for code in added if code not in chosen]
        try:
            services.supplier_update(actor=request.user, supplier=supplier, cpv_codes=chosen)
        except DomainError as exc:
            add_domain_error(form, exc, field_map={"cpv_codes": "code"})
        else:
            if request.POST.get("action") == "continue":
                return redirect(_next_step_url(supplier, "categories"))
            url = _step_url(supplier, "categories")
            return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    chosen = [{"code": code, "label": cpv.label(code)} for code in supplier.cpv_codes]
    results = [
        {"code": code, "label": label, "chosen": code in supplier.cpv_codes}
        for code, label in (cpv.search(query, limit=CPV_RESULTS) if query else [])
    ]
    context = _wizard_context(
        supplier,
        "categories",
        search=search,
        form=form,
        query=query,
        chosen=chosen,
        results=results,
        results_limit=CPV_RESULTS,
    )
    return render(request, "suppliers/wizard/categories.html", context)


# --- Representatives --------------------------------------------------------------------------


@login_required
@once_per_form_token
def step_representatives(request, pk):
    supplier = _supplier(request, pk, edit=True)
    form = RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.supplier_invite_representative(
                actor=request.user, supplier=supplier, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(email)s is invited to act for the company as %(role)s, from when they accept.")
                % {
                    "email": isolated(invitation.user.email),
                    "role": invitation.get_role_display(),
                },
            )
            return redirect("suppliers:step_representatives", pk=supplier.pk)
    context = _wizard_context(
        supplier,
        "representatives",
        form=form,
        representatives=selectors.supplier_representatives(supplier),
        invitations=pending_invitations_to(supplier.organisation_id),
    )
    return render(request, "suppliers/wizard/representatives.html", context)


# --- Documents ------------------------------------------------------------------------------


def _document_rows(supplier, changes=()):
    """One row per kind: the current version, the older ones, required or not.

    A kind an officer asked to change carries the officer's reasons.
    """
    versions = {}
    for document in (
        SupplierDocument.objects.filter(supplier=supplier)
        .select_related("uploaded_by")
        .order_by("kind", "-version")
    ):
        versions.setdefault(document.kind, []).append(document)
    required = settings.SUPPLIER_REQUIRED_DOCUMENTS
    today = db_now().date()
    rows = []
    for kind in DocumentKind:
        documents = versions.get(kind.value, [])
        current = next((doc for doc in documents if doc.is_current), None)
        if not documents and kind.value not in required:
            continue
        rows.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "required": kind.value in required,
                "current": current,
                "expired": bool(current and current.expires_on and current.expires_on < today),
                "versions": documents,
                "reasons": [
                    change.reason
                    for change in changes
                    if change.target_type == ChangeRequestItem.Target.DOCUMENT
                    and change.target == kind.value
                ],
            }
        )
    return rows


@never_cache
@login_required
@once_per_form_token
def step_documents(request, pk):
    supplier = _supplier(request, pk, edit=True)
    max_bytes = settings.SUPPLIER_DOCUMENT_MAX_BYTES
    # The kind asked for (a dashboard link), else the first one an officer asked to change.
    flagged = [c.target for c in _requested_changes(supplier) if c.step == "documents"]
    kind = request.GET.get("kind") or (flagged[0] if flagged else "")
    form = DocumentForm(
        request.POST or None, request.FILES or None, max_bytes=max_bytes, initial={"kind": kind}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.supplier_document_upload(
                actor=request.user,
                supplier=supplier,
                kind=data["kind"],
                uploaded=data["file"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("“%(kind)s” is uploaded (version %(version)s).")
                % {"kind": document.get_kind_display(), "version": localnumber(document.version)},
            )
            return redirect("suppliers:step_documents", pk=supplier.pk)
    context = _wizard_context(
        supplier,
        "documents",
        form=form,
        may_upload=selectors.documents_renewable(supplier),
    )
    context["rows"] = _document_rows(supplier, context["requested_changes"])
    return render(request, "suppliers/wizard/documents.html", context)


# --- Review and submit ----------------------------------------------------------------------


@login_required
@once_per_form_token
def step_review(request, pk):
    supplier = _supplier(request, pk, edit=True)
    errors = []
    if request.method == "POST":
        try:
            services.supplier_submit(actor=request.user, supplier=supplier)
        except DomainError as exc:
            errors.append(str(exc.message) if not exc.params.get("missing") else exc.title)
        else:
            messages.success(
                request,
                _("The registration is submitted for verification. We will tell you the outcome."),
            )
            return redirect("suppliers:detail", pk=supplier.pk)
        supplier.refresh_from_db()
    context = _wizard_context(
        supplier,
        "review",
        errors=errors,
        missing=services.missing_for_submission(supplier),
        country_name=countries.name(supplier.country),
        categories=[{"code": code, "label": cpv.label(code)} for code in supplier.cpv_codes],
        rows=_document_rows(supplier),
        may_submit=selectors.registration_editable(supplier),
    )
    return render(request, "suppliers/wizard/review.html", context)


# --- The status page ------------------------------------------------------------------------

# How the history names each audited action.
ACTION_LABELS = {
    "supplier.registered": gettext_lazy("Registration started"),
    "supplier.updated": gettext_lazy("Registration changed"),
    "supplier.document_uploaded": gettext_lazy("Document uploaded"),
    "supplier.representative_added": gettext_lazy("Representative added"),
    "supplier.submitted": gettext_lazy("Submitted for verification"),
    "supplier.changes_requested": gettext_lazy("Changes requested"),
    "supplier.verified": gettext_lazy("Verified"),
    "supplier.suspended": gettext_lazy("Suspended"),
    "supplier.reinstated": gettext_lazy("Reinstated"),
    "supplier.debarred": gettext_lazy("Debarred"),
    "supplier.debarment_ended": gettext_lazy("Debarment ended"),
    "supplier.document_expiry_warned": gettext_lazy("Warned that a document expires soon"),
    "supplier.documents_expired": gettext_lazy("A required document expired"),
    "supplier.documents_renewed": gettext_lazy("Expired documents renewed"),
}


def _history(supplier) -> list[dict]:
    rows = []
    for event in selectors.supplier_timeline(supplier):
        payload = event.payload or {}
        details = ""
        if event.action == "supplier.updated":
            details = ", ".join(
                str(Supplier._meta.get_field(name).verbose_name)
                for name in payload.get("changed", {})
                if name in services.PROFILE_FIELDS
            )
        elif "kind" in payload and payload["kind"] in DocumentKind.values:
            details = str(DocumentKind(payload["kind"]).label)
            if payload.get("version"):
                details = _("%(kind)s, version %(version)s") % {
                    "kind": details,
                    "version": localnumber(payload["version"]),
                }
        elif event.action == "supplier.representative_added":
            details = payload.get("email", "")
        rows.append(
            {
                "event": event,
                "label": ACTION_LABELS.get(event.action, event.action),
                "details": details,
            }
        )
    return rows


@require_safe
@login_required
def detail(request, pk):
    """The registration's state, what the officer asked, eligibility, documents, history."""
    supplier = _supplier(request, pk, edit=False)
    can_edit = has_perm(request.user, Perm.MANAGE_SUPPLIER, supplier)
    editable = selectors.registration_editable(supplier)
    requested_changes = _requested_changes(supplier)
    context = {
        "supplier": supplier,
        "status": selectors.registration_status(supplier),
        "country_name": countries.name(supplier.country),
        "can_edit": can_edit,
        "editable": editable,
        "is_member": is_member_of_supplier(request.user, supplier),
        "eligibility": selectors.supplier_eligibility(supplier),
        "requested_changes": requested_changes,
        "missing": services.missing_for_submission(supplier) if editable else [],
        "categories": [{"code": code, "label": cpv.label(code)} for code in supplier.cpv_codes],
        "rows": _document_rows(supplier, requested_changes),
        "representatives": selectors.supplier_representatives(supplier),
        "history": _history(supplier),
        "first_step_url": _step_url(supplier, "company"),
        "review_url": _step_url(supplier, "review"),
    }
    return render(request, "suppliers/detail.html", context)


# --- Document download -----------------------------------------------------------------------


@require_safe
@login_required
def document_download(request, pk, doc_pk):
    """The file, as an attachment: for members, verifying officers and auditors only."""
    supplier = _supplier(request, pk, edit=False)
    document = get_object_or_404(SupplierDocument, pk=doc_pk, supplier=supplier)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from the storage.")) from None
    return document_file_response(document, handle)


def document_file_response(document: SupplierDocument, handle) -> FileResponse:
    """An attachment that no browser renders or sniffs, named as it was uploaded."""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
