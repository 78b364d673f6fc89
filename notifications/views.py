"""The inbox: a signed-in user's notifications, with read marks that work without JS."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .selectors import notification_list, notification_unread_count
from .services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 20


def _next_or_inbox(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    paginator = Paginator(notification_list(user=request.user, unread_only=unread_only), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": notification_unread_count(user=request.user),
        },
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(notification_list(user=request.user), pk=pk)
    notification_mark_read(actor=request.user, notification=notification)
    return _next_or_inbox(request)


@login_required
@require_POST
def mark_all_read(request):
    count = notification_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _next_or_inbox(request)
