"""Who may read the audit trail: the permission name audit asks, not its rule.

`audit.view` is granted to auditors and platform administrators, platform-wide;
its rule is registered by accounts (accounts/rules.py, the roles live there),
so audit asks by name, through core, and imports no app above it.
"""

from core.permissions import has_perm

# accounts.permissions.Perm.VIEW_AUDIT names the same permission (tested).
VIEW_AUDIT = "audit.view"


def can_view_audit(user) -> bool:
    """True if `user` may read the whole audit trail."""
    return has_perm(user, VIEW_AUDIT)
