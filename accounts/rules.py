"""The rules of the permission names (see accounts/permissions.py), and their building blocks.

django-rules imports every app's `rules.py` at start-up (`AutodiscoverRulesConfig`).
This module registers the names whose rule is “a role that grants it”; the
apps that own other objects register the per-object rules of their names
from the predicates here (`is_official`, `role_grants`, …).
"""

import rules

from .models import Organisation, Role
from .permissions import PLATFORM_WIDE_ROLES, ROLE_PERMISSIONS, Perm, _memberships


@rules.predicate
def is_official(user) -> bool:
    """A signed-in, active account whose e-mail address is verified: the floor of every rule."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "email_verified", False)
    )


def organisation_id_of(obj) -> int | None:
    """The organisation an object belongs to, for organisation-scoped roles."""
    if isinstance(obj, Organisation):
        return obj.pk
    return getattr(obj, "organisation_id", None)


def role_grants(perm: Perm) -> rules.Predicate:
    """A role `user` holds grants `perm`: in `obj`'s organisation, or platform-wide.

    Without an object, any organisation will do (“may do this somewhere”: menus,
    list pages that then filter by organisation). A superuser holds what a
    platform administrator holds.
    """

    def check(user, obj=None) -> bool:
        if user.is_superuser and perm in ROLE_PERMISSIONS[Role.PLATFORM_ADMIN]:
            return True
        target = None if obj is None else organisation_id_of(obj)
        for organisation_id, role in _memberships(user):
            if perm not in ROLE_PERMISSIONS.get(role, ()):
                continue
            if obj is None or role in PLATFORM_WIDE_ROLES or organisation_id == target:
                return True
        return False

    return rules.predicate(check, name=f"role_grants:{perm}")


@rules.predicate
def owns(user, obj) -> bool:
    """`obj` is the user's own (its `user_id` is theirs); no object: their own kind of things."""
    return obj is None or getattr(obj, "user_id", None) == user.pk


def by_role(perm: Perm) -> rules.Predicate:
    """The plain rule: an official whose role grants `perm` on the object."""
    return is_official & role_grants(perm)


def add(perm: Perm, predicate: rules.Predicate) -> None:
    """Register (or replace, in tests that reload) the rule of `perm`."""
    rules.set_perm(str(perm), predicate)


add(Perm.MANAGE_OWN_API_TOKENS, is_official & owns)
# The invited person answers their own invitation; anyone verified may start a company.
add(Perm.ANSWER_INVITATION, is_official & owns)
add(Perm.REGISTER_COMPANY, is_official)
for _perm in (
    Perm.MANAGE_USERS,
    Perm.MANAGE_ORGANISATIONS,
    Perm.INVITE_MEMBERS,
    Perm.RENAME_ORGANISATION,
    Perm.VIEW_AUDIT,
    Perm.MANAGE_CONTRACTS,
):
    add(_perm, by_role(_perm))
