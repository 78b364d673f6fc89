"""The accounts app's dashboard items: the state of the user's own account."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dashboard import ActionItem
from core.templatetags.panjere import localdatetime, localnumber

from . import selectors
from .permissions import requires_two_factor

# Fewer recovery codes than this left: time to make new ones.
RECOVERY_CODES_LOW = 3


def account_items(user) -> list[ActionItem]:
    if not user.is_authenticated:
        return []
    items = []
    if not user.email_verified:
        items.append(
            ActionItem(
                title=_("Verify your email address"),
                detail=_(
                    "Open the link we sent to %(email)s. Until then you cannot bid, "
                    "create API tokens or act for an organisation."
                )
                % {"email": user.email},
                url=reverse("accounts:profile"),
                level="warning",
            )
        )
    if selectors.has_two_factor(user):
        left = selectors.recovery_codes_left(user)
        if left < RECOVERY_CODES_LOW:
            items.append(
                ActionItem(
                    title=_("You have no recovery codes")
                    if left == 0
                    else ngettext(
                        "Only %(count)s recovery code left",
                        "Only %(count)s recovery codes left",
                        left,
                    )
                    % {"count": localnumber(left)},
                    detail=_("Make new recovery codes before you run out."),
                    url=reverse("accounts:recovery_codes"),
                    count=left,
                    level="warning",
                )
            )
    elif not requires_two_factor(user):
        items.append(
            ActionItem(
                title=_("Protect your account with two-factor authentication"),
                detail=_("A code from an authenticator app, on top of your password."),
                url=reverse("accounts:two_factor_setup"),
                level="info",
            )
        )
    for invitation in selectors.invitations_of(user):
        items.append(
            ActionItem(
                title=_("%(organisation)s invites you to act as %(role)s")
                % {
                    "organisation": invitation.organisation.name,
                    "role": invitation.get_role_display(),
                },
                detail=_("Accept or decline the invitation."),
                url=reverse("accounts:invitations"),
                level="info",
            )
        )
    for token in selectors.api_tokens_expiring_soon(user):
        items.append(
            ActionItem(
                title=_("API token “%(name)s” expires soon") % {"name": token.name},
                detail=_("It stops working on %(date)s.")
                % {"date": localdatetime(token.expires_at)},
                url=reverse("accounts:tokens"),
                level="warning",
            )
        )
    return items
