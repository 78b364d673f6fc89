"""The one module that answers “may this actor do this to this object?”."""

from .models import TWO_FACTOR_ROLES, Membership


def active_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_panjere_roles", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(
                user=user, is_active=True, organisation__is_active=True
            ).values_list("role", flat=True)
        )
        user._panjere_roles = cached
    return cached


def requires_two_factor(user) -> bool:
    return user.is_superuser or bool(active_roles(user) & TWO_FACTOR_ROLES)
