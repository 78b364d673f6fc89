"""A restricted draft's invited suppliers: search the eligible ones, invite, remove."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, has_perm
from core.exceptions import DomainError
from core.formtokens import once_per_form_token
from suppliers.selectors import supplier_by_pk

from .. import selectors, services
from ..buyer_forms import InvitationForm, InvitationSearchForm
from .access import tender_for_page


def _invitations_page(request, tender, *, error=None, status=200):
    search = InvitationSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    editable = has_perm(request.user, Perm.EDIT_INVITATIONS, tender)
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
@once_per_form_token
def invitations(request, pk):
    """A restricted draft's invited suppliers: search the eligible ones, invite, remove.

    The buyer's people see the list (the approver approves it with the tender);
    only the officer changes it, while the tender is a draft.
    """
    if request.method == "POST":
        tender = tender_for_page(request, pk, prepare=True)
        return _change_invitation(request, tender, invite=True)
    tender = tender_for_page(request, pk, prepare=False)
    return _invitations_page(request, tender)


@require_POST
@login_required
@once_per_form_token
def invitation_remove(request, pk):
    tender = tender_for_page(request, pk, prepare=True)
    return _change_invitation(request, tender, invite=False)


def _change_invitation(request, tender, *, invite: bool):
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _invitations_page(request, tender, error=_("Choose a supplier."), status=400)
    supplier = supplier_by_pk(form.cleaned_data["supplier"])
    if supplier is None:
        raise Http404(_("No such supplier."))
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
