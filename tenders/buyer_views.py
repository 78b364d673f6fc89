"""The buyer's pages: prepare a tender step by step, approve it, run it after publication.

Thin: parse with a form, call one service, render or redirect. Each view
checks the named permission first (403 otherwise); the service checks it
again. A DomainError becomes a form error on the field it names, never a 500.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_fsm import can_proceed

from accounts.models import Membership, OrganisationKind, Role
from audit.models import Event
from core.exceptions import DomainError
from suppliers.forms import add_domain_error
from suppliers.models import DocumentKind

from . import permissions, selectors, services
from .buyer_forms import (
    AmendForm,
    AnswerForm,
    BasicsForm,
    CommitteesForm,
    DocumentForm,
    EvaluationForm,
    InvitationForm,
    InvitationSearchForm,
    ItemForm,
    LotForm,
    OutageForm,
    ReasonForm,
    RequirementsForm,
    TimelineForm,
)
from .models import (
    Clarification,
    CommitteeKind,
    Item,
    Lot,
    Outage,
    ProcurementMethod,
    Tender,
    TenderDocument,
    TenderState,
)


@dataclass(frozen=True)
class Step:
    slug: str
    title: str


STEPS = (
    Step("basics", gettext_lazy("Basics")),
    Step("lots", gettext_lazy("Lots and items")),
    Step("requirements", gettext_lazy("Requirements")),
    Step("timeline", gettext_lazy("Timeline")),
    Step("evaluation", gettext_lazy("Evaluation")),
    Step("committees", gettext_lazy("Committees and approver")),
    Step("documents", gettext_lazy("Documents")),
)
STEP_SLUGS = [step.slug for step in STEPS]


def _step_url(tender, slug: str) -> str:
    return reverse(f"tender_admin:step_{slug}", args=[tender.pk])


def _next_url(tender, slug: str) -> str:
    index = STEP_SLUGS.index(slug)
    if index + 1 < len(STEP_SLUGS):
        return _step_url(tender, STEP_SLUGS[index + 1])
    return reverse("tender_admin:detail", args=[tender.pk])


def _tender(request, pk, *, prepare: bool) -> Tender:
    """The tender, if the user may prepare it (`prepare`) or see it; else 404/403."""
    tender = get_object_or_404(Tender.objects.select_related("buyer"), pk=pk)
    check = permissions.can_prepare if prepare else permissions.can_view_unpublished
    if not check(request.user, tender):
        raise PermissionDenied(_("You are not allowed to do this."))
    return tender


def _buyers_for(user):
    """The procuring entities in which `user` may prepare tenders."""
    memberships = Membership.objects.filter(
        user=user,
        role=Role.PROCUREMENT_OFFICER,
        is_active=True,
        organisation__is_active=True,
        organisation__kind=OrganisationKind.PROCURING_ENTITY,
    ).select_related("organisation")
    return [m.organisation for m in memberships if permissions.can_prepare(user, m.organisation)]


def _wizard(request, tender, slug: str, template: str, **extra):
    index = STEP_SLUGS.index(slug)
    context = {
        "tender": tender,
        "step": STEPS[index],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "steps": [
            {
                "number": number,
                "title": step.title,
                "url": _step_url(tender, step.slug),
                "current": step.slug == slug,
            }
            for number, step in enumerate(STEPS, start=1)
        ],
        "editable": tender.state == TenderState.DRAFT,
        "previous_url": _step_url(tender, STEP_SLUGS[index - 1]) if index else None,
        "next_url": _next_url(tender, slug),
        **extra,
    }
    if not context["editable"]:
        for form in extra.values():
            if hasattr(form, "fields"):
                for field in form.fields.values():
                    field.disabled = True
    return render(request, template, context)


# --- the list and a new draft ---------------------------------------------------------------


@login_required
def tender_list(request):
    """The tenders of the user's procuring entities, grouped by state."""
    tenders = list(selectors.buyer_tenders(user=request.user))
    groups = [
        {"state": state, "label": label, "tenders": [t for t in tenders if t.state == state]}
        for state, label in TenderState.choices
    ]
    return render(
        request,
        "tenders/buyer/list.html",
        {
            "groups": [group for group in groups if group["tenders"]],
            "may_create": bool(_buyers_for(request.user)),
        },
    )


@login_required
def tender_new(request):
    buyers = _buyers_for(request.user)
    if not buyers:
        raise PermissionDenied(_("Only a procurement officer of a buyer can prepare tenders."))
    form = BasicsForm(request.POST or None)
    if len(buyers) > 1:
        from django import forms

        form.fields["buyer"] = forms.TypedChoiceField(
            label=_("Buyer"), choices=[(b.pk, b.name) for b in buyers], coerce=int
        )
    if request.method == "POST" and form.is_valid():
        buyer = buyers[0]
        if "buyer" in form.cleaned_data:
            buyer = next(b for b in buyers if b.pk == form.cleaned_data["buyer"])
        try:
            tender = services.tender_create(
                actor=request.user,
                buyer=buyer,
                **{name: form.cleaned_data[name] for name in BasicsForm.field_names},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The draft is saved. Continue with its lots."))
            return redirect(_next_url(tender, "basics"))
    return render(request, "tenders/buyer/new.html", {"form": form})


# --- the steps of a draft ----------------------------------------------------------------------


def _form_step(request, pk, *, slug, build, save, field_map=None):
    """A step made of one form: `build(tender, data)` makes it, `save(tender, form)` saves it."""
    tender = _tender(request, pk, prepare=True)
    form = build(tender, request.POST if request.method == "POST" else None)
    if request.method == "POST" and tender.state != TenderState.DRAFT:
        messages.error(
            request, _("Only a draft tender can be changed; after publication, amend it.")
        )
        return redirect(_step_url(tender, slug))
    if request.method == "POST" and form.is_valid():
        try:
            save(tender, form)
        except DomainError as exc:
            add_domain_error(form, exc, field_map=field_map)
        else:
            messages.success(request, _("Saved."))
            return redirect(_next_url(tender, slug))
    response = _wizard(request, tender, slug, "tenders/buyer/step_form.html", form=form)
    if request.method == "POST":
        response.status_code = 400
    return response


@login_required
def step_basics(request, pk):
    def build(tender, data):
        return BasicsForm(
            data, initial={name: getattr(tender, name) for name in BasicsForm.field_names}
        )

    def save(tender, form):
        services.tender_update(
            actor=request.user,
            tender=tender,
            **{name: form.cleaned_data[name] for name in BasicsForm.field_names},
        )

    return _form_step(request, pk, slug="basics", build=build, save=save)


@login_required
def step_requirements(request, pk):
    def build(tender, data):
        return RequirementsForm(
            data,
            initial={
                "required_documents": tender.required_documents,
                "required_declarations": "\n".join(tender.required_declarations),
            },
        )

    def save(tender, form):
        services.tender_update(actor=request.user, tender=tender, **form.cleaned_data)

    return _form_step(request, pk, slug="requirements", build=build, save=save)


@login_required
def step_timeline(request, pk):
    def build(tender, data):
        return TimelineForm(
            data, initial={name: getattr(tender, name) for name in TimelineForm.field_names}
        )

    def save(tender, form):
        services.tender_update(actor=request.user, tender=tender, **form.cleaned_data)

    return _form_step(request, pk, slug="timeline", build=build, save=save)


@login_required
def step_evaluation(request, pk):
    def build(tender, data):
        form = EvaluationForm(data, initial=EvaluationForm.initial_for(tender))
        return form

    def save(tender, form):
        services.tender_update(
            actor=request.user,
            tender=tender,
            envelope_scheme=form.cleaned_data["envelope_scheme"],
            evaluation_method=form.cleaned_data["evaluation_method"],
            evaluation_config=form.evaluation_config(),
        )

    return _form_step(
        request,
        pk,
        slug="evaluation",
        build=build,
        save=save,
        field_map={"evaluation_config": "criteria"},
    )


@login_required
def step_committees(request, pk):
    def build(tender, data):
        members = list(tender.committee_memberships.all())
        return CommitteesForm(
            data,
            buyer=tender.buyer,
            initial={
                "approver": tender.approver_id,
                "opening_threshold": tender.opening_threshold,
                "opening_committee": [
                    m.user_id for m in members if m.kind == CommitteeKind.OPENING
                ],
                "evaluation_committee": [
                    m.user_id for m in members if m.kind == CommitteeKind.EVALUATION
                ],
            },
        )

    def save(tender, form):
        services.tender_update(
            actor=request.user,
            tender=tender,
            approver=form.cleaned_data["approver"],
            opening_threshold=form.cleaned_data["opening_threshold"],
            opening_committee=list(form.cleaned_data["opening_committee"]),
            evaluation_committee=list(form.cleaned_data["evaluation_committee"]),
        )

    return _form_step(request, pk, slug="committees", build=build, save=save)


# --- lots and items --------------------------------------------------------------------------


def _lots_page(request, tender, *, lot_form=None, item_forms=None, status=200):
    lots = list(tender.lots.order_by("number").prefetch_related("items"))
    item_forms = item_forms or {}
    rows = [{"lot": lot, "item_form": item_forms.get(lot.pk) or ItemForm()} for lot in lots]
    response = _wizard(
        request,
        tender,
        "lots",
        "tenders/buyer/step_lots.html",
        lot_form=lot_form or LotForm(),
        rows=rows,
    )
    response.status_code = status
    return response


def _refuse_unless_draft(request, tender):
    if tender.state != TenderState.DRAFT:
        messages.error(
            request, _("Only a draft tender can be changed; after publication, amend it.")
        )
        return redirect(_step_url(tender, "lots"))
    return None


@login_required
def step_lots(request, pk):
    """The lots with their items; the form at the bottom adds a lot."""
    tender = _tender(request, pk, prepare=True)
    if request.method != "POST":
        return _lots_page(request, tender)
    refused = _refuse_unless_draft(request, tender)
    if refused:
        return refused
    form = LotForm(request.POST)
    if form.is_valid():
        try:
            services.lot_add(actor=request.user, tender=tender, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The lot is added."))
            return redirect(_step_url(tender, "lots"))
    return _lots_page(request, tender, lot_form=form, status=400)


@login_required
def lot_edit(request, pk, lot_pk):
    tender = _tender(request, pk, prepare=True)
    lot = get_object_or_404(Lot, pk=lot_pk, tender=tender)
    form = LotForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(lot, name) for name in LotForm.field_names},
    )
    if request.method == "POST":
        refused = _refuse_unless_draft(request, tender)
        if refused:
            return refused
        if form.is_valid():
            try:
                services.lot_update(actor=request.user, lot=lot, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(_step_url(tender, "lots"))
    return render(
        request, "tenders/buyer/edit_form.html", {"tender": tender, "form": form, "object": lot}
    )


@require_POST
@login_required
def lot_remove(request, pk, lot_pk):
    tender = _tender(request, pk, prepare=True)
    lot = get_object_or_404(Lot, pk=lot_pk, tender=tender)
    try:
        services.lot_remove(actor=request.user, lot=lot)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The lot is removed."))
    return redirect(_step_url(tender, "lots"))


@require_POST
@login_required
def item_add(request, pk, lot_pk):
    tender = _tender(request, pk, prepare=True)
    lot = get_object_or_404(Lot, pk=lot_pk, tender=tender)
    refused = _refuse_unless_draft(request, tender)
    if refused:
        return refused
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.item_add(actor=request.user, lot=lot, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The item is added."))
            return redirect(_step_url(tender, "lots"))
    return _lots_page(request, tender, item_forms={lot.pk: form}, status=400)


@login_required
def item_edit(request, pk, item_pk):
    tender = _tender(request, pk, prepare=True)
    item = get_object_or_404(Item, pk=item_pk, lot__tender=tender)
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(item, name) for name in ItemForm.field_names},
    )
    if request.method == "POST":
        refused = _refuse_unless_draft(request, tender)
        if refused:
            return refused
        if form.is_valid():
            try:
                services.item_update(actor=request.user, item=item, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(_step_url(tender, "lots"))
    return render(
        request, "tenders/buyer/edit_form.html", {"tender": tender, "form": form, "object": item}
    )


@require_POST
@login_required
def item_remove(request, pk, item_pk):
    tender = _tender(request, pk, prepare=True)
    item = get_object_or_404(Item, pk=item_pk, lot__tender=tender)
    try:
        services.item_remove(actor=request.user, item=item)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The item is removed."))
    return redirect(_step_url(tender, "lots"))


# --- documents ------------------------------------------------------------------------------


@login_required
def step_documents(request, pk):
    tender = _tender(request, pk, prepare=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_document_upload(
                actor=request.user,
                tender=tender,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect(_step_url(tender, "documents"))
    documents = tender.documents.select_related("uploaded_by").order_by("title", "-version")
    response = _wizard(
        request,
        tender,
        "documents",
        "tenders/buyer/step_documents.html",
        form=form,
        documents=documents,
    )
    if request.method == "POST":
        response.status_code = 400
    return response


@require_safe
def document_download(request, pk, doc_pk):
    """A tender document: public once the tender is, before that for its buyer's people only."""
    tender = get_object_or_404(Tender, pk=pk)
    document = get_object_or_404(TenderDocument, pk=doc_pk, tender=tender)
    if not (tender.is_public or permissions.can_view_unpublished(request.user, tender)):
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


# --- the detail page and its actions -----------------------------------------------------------


def _actions(user, tender) -> dict:
    prepare = permissions.can_prepare(user, tender)
    approve = permissions.can_approve(user, tender) and user.pk not in {
        tender.created_by_id,
        tender.submitted_by_id,
    }
    cancel = permissions.can_cancel(user, tender)
    # Amending and answering are not transitions: the tender must be open for bids.
    is_open = can_proceed(tender.close)
    return {
        "submit": prepare and can_proceed(tender.submit_for_approval),
        "approve": approve and can_proceed(tender.approve_and_publish),
        "return": approve and can_proceed(tender.return_to_draft),
        "cancel": cancel and can_proceed(tender.cancel),
        "unsuccessful": cancel and can_proceed(tender.declare_unsuccessful),
        "amend": prepare and is_open,
        "answer": prepare and is_open,
        "edit": prepare and tender.state == TenderState.DRAFT,
    }


def _detail(request, tender_pk, *, forms=None, status=200):
    tender = selectors.tender_for_buyer(pk=tender_pk)
    if not permissions.can_view_unpublished(request.user, tender):
        raise PermissionDenied(_("You are not allowed to do this."))
    forms = forms or {}
    events = (
        Event.objects.filter(object_type="tenders.tender", object_id=str(tender.pk))
        .select_related("actor")
        .order_by("seq")
    )
    clarifications = [
        {
            "clarification": clarification,
            "form": forms.get(f"answer-{clarification.pk}") or AnswerForm(),
        }
        for clarification in tender.clarifications.all()
    ]
    members = list(tender.committee_memberships.all())
    kinds = dict(DocumentKind.choices)
    return render(
        request,
        "tenders/buyer/detail.html",
        {
            "tender": tender,
            "actions": _actions(request.user, tender),
            "events": events,
            "clarifications": clarifications,
            "opening_committee": [m.user for m in members if m.kind == CommitteeKind.OPENING],
            "evaluation_committee": [m.user for m in members if m.kind == CommitteeKind.EVALUATION],
            "invitations": list(selectors.tender_invitations(tender=tender))
            if tender.procurement_method == ProcurementMethod.RESTRICTED
            else None,
            "documents": tender.documents.filter(is_current=True)
            .select_related("amendment")
            .order_by("title"),
            "required_documents": [kinds.get(kind, kind) for kind in tender.required_documents],
            "return_form": forms.get("return") or ReasonForm(),
            "cancel_form": forms.get("cancel") or ReasonForm(),
            "unsuccessful_form": forms.get("unsuccessful") or ReasonForm(),
            "action_error": forms.get("error"),
        },
        status=status,
    )


@login_required
def detail(request, pk):
    return _detail(request, pk)


def _simple_action(request, pk, *, allowed, run, success):
    tender = _tender(request, pk, prepare=False)
    if not allowed(request.user, tender):
        raise PermissionDenied(_("You are not allowed to do this."))
    try:
        run(tender)
    except DomainError as exc:
        return _detail(request, pk, forms={"error": str(exc.message)}, status=400)
    messages.success(request, success)
    return redirect("tender_admin:detail", pk=pk)


def _reason_action(request, pk, *, key, allowed, run, success):
    tender = _tender(request, pk, prepare=False)
    if not allowed(request.user, tender):
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
def submit(request, pk):
    return _simple_action(
        request,
        pk,
        allowed=permissions.can_prepare,
        run=lambda tender: services.tender_submit_for_approval(actor=request.user, tender=tender),
        success=_("The tender is sent to its approver."),
    )


@require_POST
@login_required
def approve(request, pk):
    return _simple_action(
        request,
        pk,
        allowed=permissions.can_approve,
        run=lambda tender: services.tender_approve_and_publish(actor=request.user, tender=tender),
        success=_("The tender is approved and published."),
    )


@require_POST
@login_required
def return_to_draft(request, pk):
    return _reason_action(
        request,
        pk,
        key="return",
        allowed=permissions.can_approve,
        run=lambda tender, reason: services.tender_return_to_draft(
            actor=request.user, tender=tender, reasons=reason
        ),
        success=_("The tender is returned to its officer."),
    )


@require_POST
@login_required
def cancel(request, pk):
    return _reason_action(
        request,
        pk,
        key="cancel",
        allowed=permissions.can_cancel,
        run=lambda tender, reason: services.tender_cancel(
            actor=request.user, tender=tender, reason=reason
        ),
        success=_("The tender is cancelled."),
    )


@require_POST
@login_required
def declare_unsuccessful(request, pk):
    return _reason_action(
        request,
        pk,
        key="unsuccessful",
        allowed=permissions.can_cancel,
        run=lambda tender, reason: services.tender_declare_unsuccessful(
            actor=request.user, tender=tender, reason=reason
        ),
        success=_("The tender is declared unsuccessful."),
    )


@require_POST
@login_required
def answer(request, pk, clarification_pk):
    tender = _tender(request, pk, prepare=True)
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
def amend(request, pk):
    tender = _tender(request, pk, prepare=True)
    initial = {name: getattr(tender, name) for name in AmendForm.change_names}
    documents = list(selectors.public_tender_documents(tender))
    posted = request.method == "POST"
    form = AmendForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        current_titles=[document.title for document in documents if document.is_current],
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


# --- outages (platform administrators) ----------------------------------------------------------


@login_required
def outages(request):
    if not permissions.can_record_outage(request.user):
        raise PermissionDenied(_("Only a platform administrator can record an outage."))
    form = OutageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outage = services.outage_record(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc, default_field="reason")
        else:
            messages.success(
                request,
                _("The outage is recorded; %(count)s tenders were extended.")
                % {"count": outage.amendments.count()},
            )
            return redirect("tender_admin:outages")
    recorded = Outage.objects.select_related("recorded_by").prefetch_related("amendments__tender")
    return render(
        request,
        "tenders/buyer/outages.html",
        {"form": form, "outages": recorded},
        status=400 if request.method == "POST" else 200,
    )


# --- restricted tenders: invited suppliers ------------------------------------------------------


def _invitations_page(request, tender, *, error=None, status=200):
    search = InvitationSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    editable = (
        tender.procurement_method == ProcurementMethod.RESTRICTED
        and tender.state == TenderState.DRAFT
        and permissions.can_prepare(request.user, tender)
    )
    return render(
        request,
        "tenders/buyer/invitations.html",
        {
            "tender": tender,
            "editable": editable,
            "search": search,
            "query": query,
            "invitations": list(selectors.tender_invitations(tender=tender)),
            "results": list(selectors.invitable_suppliers(tender=tender, query=query))
            if editable and query
            else [],
            "minimum": settings.TENDER_RESTRICTED_MIN_INVITATIONS,
            "error": error,
        },
        status=status,
    )


def _invitations_url(tender, query: str = "") -> str:
    url = reverse("tender_admin:invitations", args=[tender.pk])
    return f"{url}?{urlencode({'q': query})}" if query else url


@login_required
def invitations(request, pk):
    """A restricted draft's invited suppliers: search the eligible ones, invite, remove.

    The buyer's people see the list (the approver approves it with the tender);
    only the officer changes it, while the tender is a draft.
    """
    if request.method == "POST":
        tender = _tender(request, pk, prepare=True)
        return _change_invitation(request, tender, invite=True)
    tender = _tender(request, pk, prepare=False)
    return _invitations_page(request, tender)


@require_POST
@login_required
def invitation_remove(request, pk):
    tender = _tender(request, pk, prepare=True)
    return _change_invitation(request, tender, invite=False)


def _change_invitation(request, tender, *, invite: bool):
    from suppliers.models import Supplier

    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _invitations_page(request, tender, error=_("Choose a supplier."), status=400)
    supplier = get_object_or_404(Supplier, pk=form.cleaned_data["supplier"])
    run = services.tender_invite if invite else services.tender_uninvite
    try:
        run(actor=request.user, tender=tender, supplier=supplier)
    except DomainError as exc:
        return _invitations_page(request, tender, error=str(exc.message), status=400)
    if invite:
        messages.success(request, _("%(supplier)s is invited.") % {"supplier": supplier.legal_name})
    else:
        messages.success(
            request,
            _("%(supplier)s is no longer invited.") % {"supplier": supplier.legal_name},
        )
    return redirect(_invitations_url(tender, request.POST.get("q", "")))
