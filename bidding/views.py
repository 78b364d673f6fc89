"""The supplier's bid pages (its bids, a receipt readable and as PDF); the public receipt check."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.exceptions import DomainError, NotFound
from panjere_client.receipts import ReceiptError

from . import selectors, services
from .forms import ReceiptVerifyForm
from .pdf import receipt_pdf
from .receipts import receipt_verify


@login_required
@require_safe
def bid_page(request, ocid: str, number: int):
    """The bid form of a lot: sealed in the page (static/js/bid.js), only envelopes are sent."""
    import base64

    from accounts.permissions import Perm, has_perm
    from suppliers.selectors import suppliers_for_user
    from tenders.selectors import public_tender

    from . import keys

    try:
        tender = public_tender(ocid=ocid)
    except NotFound:
        from django.http import Http404

        raise Http404(_("No such tender.")) from None
    lot = tender.lots.filter(number=number).prefetch_related("items").first()
    if lot is None:
        from django.http import Http404

        raise Http404(_("The tender has no lot %(number)s.") % {"number": number})
    suppliers = [
        s for s in suppliers_for_user(request.user) if has_perm(request.user, Perm.SUBMIT_BID, s)
    ]
    kinds = keys.envelope_kinds(tender)
    try:
        public = {
            kind: base64.b64encode(keys.tender_public_key(tender, kind)).decode() for kind in kinds
        }
    except DomainError:
        public = None
    versions = {str(s.pk): selectors.next_version(lot=lot, supplier=s) for s in suppliers}
    words = {
        "sealing": _("Sealing in this browser…"),
        "uploading": _("Uploading the sealed envelopes…"),
        "done": _("Received. Opening the receipt…"),
        "network": _("The connection dropped. Send again: the same bid is never made twice."),
    }
    return render(
        request,
        "bidding/bid_page.html",
        {
            "tender": tender,
            "lot": lot,
            "items": list(lot.items.all()),
            "suppliers": suppliers,
            "kinds": kinds,
            "keys_json": json.dumps(public) if public else "",
            "versions_json": json.dumps(versions),
            "kinds_json": json.dumps(list(kinds)),
            "currency": tender.estimated_value.currency.code,
            "words": words,
        },
    )


def _own_bid(request, pk):
    try:
        return selectors.bid_of_user(user=request.user, pk=pk)
    except NotFound:
        from django.http import Http404

        raise Http404(_("No such bid.")) from None


@login_required
@require_safe
def bid_list(request):
    return render(
        request, "bidding/bid_list.html", {"bids": selectors.bids_of_user(user=request.user)}
    )


@login_required
@require_safe
def bid_detail(request, pk: int):
    bid = _own_bid(request, pk)
    return render(
        request,
        "bidding/bid_detail.html",
        {
            "bid": bid,
            "receipt": bid.receipt.document,
            "receipt_json": json.dumps(bid.receipt.document, indent=2, sort_keys=True),
        },
    )


@login_required
@require_safe
def receipt_json(request, pk: int):
    bid = _own_bid(request, pk)
    response = HttpResponse(
        json.dumps(bid.receipt.document, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-bid-{bid.pk}.json"'
    return response


@login_required
@require_safe
def receipt_pdf_download(request, pk: int):
    bid = _own_bid(request, pk)
    response = HttpResponse(receipt_pdf(bid), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-bid-{bid.pk}.pdf"'
    return response


@login_required
@require_POST
def bid_withdraw(request, pk: int):
    bid = _own_bid(request, pk)
    try:
        services.bid_withdraw(actor=request.user, bid=bid)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The bid is withdrawn. Its envelopes stay sealed."))
    return redirect("bidding:detail", pk=bid.pk)


@login_required
@require_POST
def bid_confirm(request, pk: int):
    bid = _own_bid(request, pk)
    try:
        services.bid_confirm(actor=request.user, bid=bid)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The bid is confirmed as it stands after the amendment."))
    return redirect("bidding:detail", pk=bid.pk)


def receipt_check(request):
    """Public: paste a receipt, see whether the platform's key signed exactly it."""
    result = None
    form = ReceiptVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = receipt_verify(form.cleaned_data["receipt"])
        except ReceiptError as error:
            result = {"valid": False, "reason": type(error).__name__, "detail": str(error)}
        else:
            result = {"valid": True, "receipt": verified}
    return render(request, "bidding/receipt_check.html", {"form": form, "result": result})
