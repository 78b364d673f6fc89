"""Who hears about each step of a registration, and what they are told.

Called by the services inside their transactions; `notify` writes one outbox
row, rendered per recipient in their own language after the commit.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from accounts.permissions import Perm, roles_granting
from notifications.services import notify

from .models import DocumentKind, Supplier

SUPPLIER_MESSAGES = {
    "changes_requested": (
        _("Changes requested to the registration of %(name)s"),
        _(
            "An officer asked for changes. Open the registration to see the reasons, "
            "fix them and submit it again."
        ),
    ),
    "verified": (
        _("%(name)s is verified"),
        _("The registration is verified. The company can now take part in tenders."),
    ),
    "suspended": (
        _("%(name)s is suspended"),
        _("The registration was suspended. Open it to read the reason."),
    ),
    "reinstated": (
        _("%(name)s is reinstated"),
        _("The suspension was lifted; the registration is verified again."),
    ),
    "debarred": (
        _("%(name)s is debarred"),
        _(
            "The company is excluded from public procurement until the date shown, "
            "for the reason given."
        ),
    ),
    "debarment_ended": (
        _("The debarment of %(name)s has ended"),
        _("The company is verified again and may take part in tenders."),
    ),
    "document_expiring": (
        _("A document of %(name)s expires soon"),
        _("“%(kind)s” expires on %(date)s. Upload the renewed document before then."),
    ),
    "documents_expired": (
        _("A required document of %(name)s has expired"),
        _("The company may not bid until the expired document is renewed."),
    ),
}


def supplier_url(supplier: Supplier) -> str:
    return f"/suppliers/{supplier.pk}/"


def notify_supplier(supplier: Supplier, *, event: str, document=None):
    """Tell every active member of the supplier what happened to its registration."""
    title, body = SUPPLIER_MESSAGES[event]
    recipients = Membership.objects.filter(
        organisation_id=supplier.organisation_id, is_active=True
    ).values_list("user_id", flat=True)
    context = {"name": supplier.legal_name}
    if document is not None:
        # The kind's label stays lazy so each recipient reads it in their language.
        context.update(kind=DocumentKind(document.kind).label, date=document.expires_on)
    return notify(
        recipients=list(recipients),
        kind=f"supplier.{event}",
        title=title,
        body=body,
        url=supplier_url(supplier),
        context=context,
    )


def notify_officers(supplier: Supplier, *, event: str):
    """Tell the verifying officers that a registration awaits review."""
    recipients = (
        Membership.objects.filter(role__in=roles_granting(Perm.VERIFY_SUPPLIERS), is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return notify(
        recipients=list(recipients),
        kind=f"supplier.{event}",
        title=_("Registration of %(name)s awaits verification"),
        body=_("Submitted for verification; it is in the review queue, oldest first."),
        url=f"/suppliers/review/{supplier.pk}/",
        context={"name": supplier.legal_name},
    )


def notify_invited_representative(supplier: Supplier, *, user, role: str):
    """Tell a person with an account that they are invited to act for the supplier."""
    return notify(
        recipients=[user.pk],
        kind="membership.invited",
        title=_("You are invited to act for %(name)s"),
        body=_(
            "You are offered the role “%(role)s” in the company's organisation on Panjere. "
            "Accept or decline the invitation."
        ),
        url="/accounts/invitations/",
        context={"name": supplier.legal_name, "role": Role(role).label},
    )
