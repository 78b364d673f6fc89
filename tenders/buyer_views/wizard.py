"""Preparing a draft step by step: basics, lots and items, requirements, timeline,
evaluation, committees and approver, documents."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import OrganisationKind, Role
from accounts.permissions import Perm, has_perm
from accounts.selectors import organisations_where
from core.exceptions import DomainError
from core.forms import add_domain_error
from core.formtokens import once_per_form_token

from .. import selectors, services
from ..buyer_forms import (
    BasicsForm,
    CommitteesForm,
    DocumentForm,
    EvaluationForm,
    ItemForm,
    LotForm,
    RequirementsForm,
    TimelineForm,
)
from ..models import CommitteeKind, Item, Lot
from .access import tender_for_page


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
STEP_TITLES = {step.slug: step.title for step in STEPS}

# Where the officer fills in each field the readiness check may name: its step, and the
# form field that holds it (its label is what the officer read there).
STEP_FORMS = {
    "basics": BasicsForm,
    "requirements": RequirementsForm,
    "timeline": TimelineForm,
    "evaluation": EvaluationForm,
    "committees": CommitteesForm,
}
FIELD_PLACES = {
    **{
        name: (slug, name)
        for slug, form in STEP_FORMS.items()
        for name in form.base_fields
        if slug != "basics" or name in BasicsForm.field_names
    },
    "additional_cpv_codes": ("basics", "cpv_code"),
    "evaluation_config": ("evaluation", "criteria"),
    "lots": ("lots", None),
    "items": ("lots", None),
}


def readiness_rows(tender, problems, *, links: bool) -> list[dict]:
    """What stops the tender, one row each: the step and field in the officer's words, linked.

    `problems` are a TenderIncomplete's `params["problems"]`; `links` is False
    for someone who cannot edit the draft (the approver).
    """
    rows = []
    for problem in problems:
        field = problem.get("field")
        place, label, url = "", "", ""
        if field == "invitations":
            place = _("Invitations")
            url = reverse("tender_admin:invitations", args=[tender.pk])
        elif field in FIELD_PLACES:
            slug, name = FIELD_PLACES[field]
            place = str(STEP_TITLES[slug])
            url = _step_url(tender, slug) + (f"#id_{name}" if name else "")
            if name:
                label = str(STEP_FORMS[slug].base_fields[name].label)
        rows.append(
            {
                "place": place,
                "label": label,
                "message": problem["message"],
                "url": url if links else "",
            }
        )
    return rows


def _step_url(tender, slug: str) -> str:
    return reverse(f"tender_admin:step_{slug}", args=[tender.pk])


def _next_url(tender, slug: str) -> str:
    index = STEP_SLUGS.index(slug)
    if index + 1 < len(STEP_SLUGS):
        return _step_url(tender, STEP_SLUGS[index + 1])
    return reverse("tender_admin:detail", args=[tender.pk])


def _buyers_for(user):
    """The procuring entities in which `user` may prepare tenders."""
    return [
        organisation
        for organisation in organisations_where(
            user, role=Role.PROCUREMENT_OFFICER, kind=OrganisationKind.PROCURING_ENTITY
        )
        if has_perm(user, Perm.DRAFT_TENDER, organisation)
    ]


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
        "editable": selectors.is_draft(tender),
        "return_reasons": selectors.pending_return_reasons(tender),
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


@require_safe
@login_required
def tender_list(request):
    """The tenders of the user's procuring entities, grouped by state."""
    if not selectors.uses_buyer_pages(request.user):
        raise PermissionDenied
    return render(
        request,
        "tenders/buyer/list.html",
        {
            "groups": selectors.buyer_tender_groups(user=request.user),
            "may_create": bool(_buyers_for(request.user)),
        },
    )


@login_required
@once_per_form_token
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


def _form_step(request, pk, *, slug, build, save, field_map=None):
    """A step made of one form: `build(tender, data)` makes it, `save(tender, form)` saves it."""
    tender = tender_for_page(request, pk, prepare=True)
    form = build(tender, request.POST if request.method == "POST" else None)
    if request.method == "POST" and not selectors.is_draft(tender):
        return _refuse_change(request, tender, slug)
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
                "required_declarations_fa": "\n".join(tender.required_declarations_fa),
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


def _lots_page(request, tender, *, lot_form=None, item_forms=None, status=200):
    lots = list(tender.lots.order_by("number").prefetch_related("items"))
    item_forms = item_forms or {}
    rows = [{"lot": lot, "item_form": item_forms.get(lot.pk) or ItemForm()} for lot in lots]
    response = _wizard(
        request,
        tender,
        "lots",
        "tenders/buyer/step_lots.html",
        lot_form=lot_form or LotForm(currency=_currency_of(tender)),
        rows=rows,
        lot_warning=selectors.lot_values(tender).warning,
    )
    response.status_code = status
    return response


def _currency_of(tender):
    """The currency a new lot's amounts are proposed in: the tender's estimate's."""
    return tender.estimated_value.currency.code if tender.estimated_value else None


def _refuse_change(request, tender, slug: str):
    """Back to the step, saying why: only a draft changes here (the service refuses too)."""
    messages.error(request, _("Only a draft tender can be changed; after publication, amend it."))
    return redirect(_step_url(tender, slug))


def _refuse_unless_draft(request, tender):
    if not selectors.is_draft(tender):
        return _refuse_change(request, tender, "lots")
    return None


@login_required
@once_per_form_token
def step_lots(request, pk):
    """The lots with their items; the form at the bottom adds a lot."""
    tender = tender_for_page(request, pk, prepare=True)
    if request.method != "POST":
        return _lots_page(request, tender)
    refused = _refuse_unless_draft(request, tender)
    if refused:
        return refused
    form = LotForm(request.POST, currency=_currency_of(tender))
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
    tender = tender_for_page(request, pk, prepare=True)
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
@once_per_form_token
def lot_remove(request, pk, lot_pk):
    tender = tender_for_page(request, pk, prepare=True)
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
@once_per_form_token
def item_add(request, pk, lot_pk):
    tender = tender_for_page(request, pk, prepare=True)
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
    tender = tender_for_page(request, pk, prepare=True)
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
@once_per_form_token
def item_remove(request, pk, item_pk):
    tender = tender_for_page(request, pk, prepare=True)
    item = get_object_or_404(Item, pk=item_pk, lot__tender=tender)
    try:
        services.item_remove(actor=request.user, item=item)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The item is removed."))
    return redirect(_step_url(tender, "lots"))


@login_required
@once_per_form_token
def step_documents(request, pk):
    tender = tender_for_page(request, pk, prepare=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_document_upload(
                actor=request.user,
                tender=tender,
                title=form.cleaned_data["title"],
                title_fa=form.cleaned_data["title_fa"],
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
