"""The one window: the home page, the dashboard and the language switcher."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import check_for_language, get_language
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language as django_set_language

from accounts.selectors import memberships_of
from accounts.services import user_set_language
from tenders.selectors import public_tenders

from .dashboard import action_items

# The dashboard's groups, most urgent first: (level, heading).
URGENCY_GROUPS = (
    ("danger", _("Needs your action now")),
    ("warning", _("Needs your action soon")),
    ("info", _("For your information")),
)


# How many of the newest notices the home page lists.
LATEST_TENDERS = 5


def home(request):
    """What Panjere does today, a search of the notices, and the newest notices."""
    latest = list(public_tenders()[:LATEST_TENDERS])
    persian = (get_language() or "").startswith("fa")
    for tender in latest:
        tender.buyer_name = (persian and tender.buyer.name_fa) or tender.buyer.name
    return render(request, "home/home.html", {"latest": latest})


@login_required
def dashboard(request):
    items = action_items(request.user)
    groups = [
        {"level": level, "heading": heading, "items": [i for i in items if i.level == level]}
        for level, heading in URGENCY_GROUPS
    ]
    known = {level for level, _heading in URGENCY_GROUPS}
    # An item with a level nobody planned for is still shown, as information.
    groups[-1]["items"] += [item for item in items if item.level not in known]
    return render(
        request,
        "home/dashboard.html",
        {
            "groups": [group for group in groups if group["items"]],
            "memberships": memberships_of(request.user),
        },
    )


def set_language(request):
    """Django's language switcher, which also remembers the choice on the user.

    Only the languages Panjere offers are kept: Django's own view would set a
    cookie for any language Django itself has a catalogue for.
    """
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES) or not check_for_language(language):
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        return response
    if request.method == "POST" and request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    return response
