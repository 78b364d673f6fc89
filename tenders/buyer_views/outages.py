"""Platform outages, recorded by a platform administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm
from core.exceptions import DomainError
from core.forms import add_domain_error
from core.formtokens import once_per_form_token

from .. import services
from ..buyer_forms import OutageForm
from ..models import Outage


@login_required
@once_per_form_token
def outages(request):
    if not has_perm(request.user, Perm.RECORD_OUTAGE):
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
