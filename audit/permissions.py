"""Who may read the audit trail: auditors and platform administrators.

The rule itself is `accounts.permissions.Perm.VIEW_AUDIT` (granted by the
auditor and platform administrator roles, platform-wide); views declare it
with `permission_required` / `HasPerm`.
"""

from accounts.permissions import Perm, has_perm


def can_view_audit(user) -> bool:
    """True if `user` may read the whole audit trail."""
    return has_perm(user, Perm.VIEW_AUDIT)
