"""Asking and declaring a named permission: the generic half of the permission system.

The names and their rules belong to the apps (accounts.permissions.Perm, each
app's rules.py, registered with django-rules); asking needs only the name, so
every floor, `core` and `audit` included, asks through here:
`user.has_perm(name, obj)` behind `has_perm`, `require_perm` for services,
`permission_required` / `PermissionRequiredMixin` for pages and `HasPerm` for
DRF views.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .exceptions import PermissionDenied


def has_perm(user, perm: str, obj=None) -> bool:
    """`user.has_perm(perm, obj)`, for callers that may hold no user at all."""
    if user is None:
        return False
    return user.has_perm(str(perm), obj)


def require_perm(actor, perm: str, obj=None) -> None:
    """Raise `core.exceptions.PermissionDenied` unless `actor` holds `perm` (on `obj`)."""
    if not has_perm(actor, perm, obj):
        raise PermissionDenied(params={"permission": str(perm)})


def permission_required(perm: str):
    """Decorate a function view: anonymous users log in, others without `perm` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm):
                raise DjangoPermissionDenied(_("You are not allowed to do this."))
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm
        return wrapped

    return decorator


class PermissionRequiredMixin:
    """Declare `required_perm` on a class-based view; checked before dispatch."""

    required_perm: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if self.required_perm is None or not has_perm(request.user, self.required_perm):
            raise DjangoPermissionDenied(_("You are not allowed to do this."))
        return super().dispatch(request, *args, **kwargs)


class HasPerm(BasePermission):
    """DRF: the view's `required_perm`, on the object too when there is one.

    Use as `permission_classes = [HasPerm]` with `required_perm = "app.name"` on
    the view, or `HasPerm.of(name)` for a one-off.
    """

    message = _("You are not allowed to do this.")
    perm: str | None = None

    @classmethod
    def of(cls, perm: str) -> type["HasPerm"]:
        label = getattr(perm, "name", str(perm).replace(".", "_"))
        return type(f"HasPerm_{label}", (cls,), {"perm": perm})

    def _perm(self, view) -> str | None:
        return self.perm or getattr(view, "required_perm", None)

    def has_permission(self, request, view):
        perm = self._perm(view)
        return perm is not None and has_perm(request.user, perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(view)
        return perm is not None and has_perm(request.user, perm, obj)
