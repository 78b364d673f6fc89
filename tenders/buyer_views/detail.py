"""A tender's detail page for its buyer's people, and the actions it offers: the
workflow (submit, approve, return, cancel, unsuccessful), answers and amendments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.permissions import Perm, has_perm
from audit.selectors import object_timeline
from core.exceptions import DomainError
from core.forms import add_domain_error
from core.formtokens import once_per_form_token
from suppliers.selectors import document_kind_labels

from .. import selectors, services
from ..buyer_forms import AmendForm, AnswerForm, ReasonForm
from ..models import Clarification, CommitteeKind, ProcurementMethod, Tender, TenderDocument
from .access import tender_for_page
from .wizard import readiness_rows


def _detail(request, tender_pk, *, forms=None, status=200):
    tender = selectors.tender_for_buyer(pk=tender_pk)
    if not has_perm(request.user, Perm.VIEW_UNPUBLISHED_TENDER, tender):
        raise PermissionDenied(_("You are not allowed to do this."))
    forms = forms or {}
    events = object_timeline(object_type="tenders.tender", object_id=str(tender.pk))
    clarifications = [
        {
            "clarification": clarification,
            "form": forms.get(f"answer-{clarification.pk}") or AnswerForm(),
        }
        for clarification in tender.clarifications.all()
    ]
    members = list(tender.committee_memberships.all())
    return render(
        request,
        "tenders/buyer/detail.html",
        {
            "tender": tender,
            "actions": selectors.detail_actions(request.user, tender),
            "return_reasons": selectors.pending_return_reasons(tender),
            "events": events,
            "clarifications": clarifications,
            "opening_committee": [m.user for m in members if m.kind == CommitteeKind.OPENING],
            "evaluation_committee": [m.user for m in members if m.kind == CommitteeKind.EVALUATION],
            "without_opening_key": {member.pk for member in selectors.members_without_key(tender)},
            "sealing_keys": selectors.tender_sealing_keys(tender),
            "invitations": list(selectors.tender_invitations(tender=tender))
            if tender.procurement_method == ProcurementMethod.RESTRICTED
            else None,
            "documents": tender.documents.filter(is_current=True)
            .select_related("amendment")
            .order_by("title"),
            "required_documents": document_kind_labels(tender.required_documents),
            "return_form": forms.get("return") or ReasonForm(),
            "cancel_form": forms.get("cancel") or ReasonForm(),
            "unsuccessful_form": forms.get("unsuccessful") or ReasonForm(),
            "action_error": forms.get("error"),
            "action_problems": forms.get("problems"),
            "lot_warning": selectors.lot_values(tender).warning,
        },
        status=status,
    )


@require_safe
@login_required
def detail(request, pk):
    return _detail(request, pk)


def _simple_action(request, pk, *, perm, run, success, links=False):
    tender = tender_for_page(request, pk, prepare=False)
    if not has_perm(request.user, perm, tender):
        raise PermissionDenied(_("You are not allowed to do this."))
    try:
        run(tender)
    except DomainError as exc:
        problems = (exc.params or {}).get("problems")
        if not problems:
            return _detail(request, pk, forms={"error": str(exc.message)}, status=400)
        # Each missing piece on its own line, linked to the step where it is filled in.
        return _detail(
            request,
            pk,
            forms={
                "error": _("The tender is not ready yet. What is missing:"),
                "problems": readiness_rows(tender, problems, links=links),
            },
            status=400,
        )
    messages.success(request, success)
    return redirect("tender_admin:detail", pk=pk)


def _reason_action(request, pk, *, key, perm, run, success):
    tender = tender_for_page(request, pk, prepare=False)
    if not has_perm(request.user, perm, tender):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            run(tender, form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc, default_field="reason", field_map={"reasons": "reason"})
        else:
            messages.success(request, success)
            return redirect("tender_admin:detail", pk=pk)
    return _detail(request, pk, forms={key: form}, status=400)


@require_POST
@login_required
@once_per_form_token
def submit(request, pk):
    return _simple_action(
        request,
        pk,
        perm=Perm.DRAFT_TENDER,
        run=lambda tender: services.tender_submit_for_approval(actor=request.user, tender=tender),
        success=_("The tender is sent to its approver."),
        links=True,
    )


@require_POST
@login_required
@once_per_form_token
def approve(request, pk):
    return _simple_action(
        request,
        pk,
        perm=Perm.DECIDE_APPROVAL,
        run=lambda tender: services.tender_approve_and_publish(actor=request.user, tender=tender),
        success=_("The tender is approved and published."),
    )


@require_POST
@login_required
@once_per_form_token
def return_to_draft(request, pk):
    return _reason_action(
        request,
        pk,
        key="return",
        perm=Perm.DECIDE_APPROVAL,
        run=lambda tender, reason: services.tender_return_to_draft(
            actor=request.user, tender=tender, reasons=reason
        ),
        success=_("The tender is returned to its officer."),
    )


@require_POST
@login_required
@once_per_form_token
def cancel(request, pk):
    return _reason_action(
        request,
        pk,
        key="cancel",
        perm=Perm.CANCEL_TENDER,
        run=lambda tender, reason: services.tender_cancel(
            actor=request.user, tender=tender, reason=reason
        ),
        success=_("The tender is cancelled."),
    )


@require_POST
@login_required
@once_per_form_token
def declare_unsuccessful(request, pk):
    return _reason_action(
        request,
        pk,
        key="unsuccessful",
        perm=Perm.CANCEL_TENDER,
        run=lambda tender, reason: services.tender_declare_unsuccessful(
            actor=request.user, tender=tender, reason=reason
        ),
        success=_("The tender is declared unsuccessful."),
    )


@require_POST
@login_required
@once_per_form_token
def answer(request, pk, clarification_pk):
    tender = tender_for_page(request, pk, prepare=True)
    clarification = get_object_or_404(Clarification, pk=clarification_pk, tender=tender)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.clarification_answer(
                actor=request.user, clarification=clarification, answer=form.cleaned_data["answer"]
            )
        except DomainError as exc:
            add_domain_error(form, exc, default_field="answer")
        else:
            messages.success(request, _("The answer is published."))
            return redirect("tender_admin:detail", pk=pk)
    return _detail(request, pk, forms={f"answer-{clarification.pk}": form}, status=400)


@login_required
@once_per_form_token
def amend(request, pk):
    tender = tender_for_page(request, pk, prepare=True)
    initial = {name: getattr(tender, name) for name in AmendForm.change_names}
    documents = list(selectors.public_tender_documents(tender))
    posted = request.method == "POST"
    form = AmendForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        current_titles=[document.title for document in documents if document.is_current],
        currencies={
            "estimated_value": tender.estimated_value.currency.code,
            "document_fee": tender.document_fee.currency.code,
        },
    )
    if posted and form.is_valid():
        try:
            amendment = services.tender_amend(
                actor=request.user,
                tender=tender,
                summary=form.cleaned_data["summary"],
                notice=form.cleaned_data["notice"],
                material=form.cleaned_data["material"],
                changes=form.changes(),
                documents=form.documents_to_publish(),
                withdraw=form.titles_to_withdraw(),
            )
        except DomainError as exc:
            add_domain_error(form, exc, field_map=form.field_map(), default_field="summary")
        else:
            messages.success(
                request, _("Amendment %(number)s is published.") % {"number": amendment.number}
            )
            return redirect("tender_admin:detail", pk=pk)
    return render(
        request,
        "tenders/buyer/amend.html",
        {"tender": tender, "form": form, "documents": documents},
        status=400 if posted else 200,
    )


@require_safe
def document_download(request, pk, doc_pk):
    """A tender document: public once the tender is, before that for its buyer's people only."""
    tender = get_object_or_404(Tender, pk=pk)
    document = get_object_or_404(TenderDocument, pk=doc_pk, tender=tender)
    if not (tender.is_public or has_perm(request.user, Perm.VIEW_UNPUBLISHED_TENDER, tender)):
        raise Http404(_("No such document."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from the storage.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not tender.is_public:
        # A draft's document is for the buyer's people: no shared or browser cache keeps it.
        response["Cache-Control"] = "private, no-store"
    return response
