"""The rules of the supplier permission names (accounts.permissions.Perm.*SUPPLIER*).

A supplier's own people (its administrators and bidders) act on their company
only; the oversight body's verifying officers review every registration;
debarment is the platform administrators' decision. A buyer's procurement
officer holds none of these.
"""

import rules

from accounts.permissions import Perm
from accounts.rules import add, by_role, is_official, role_grants

# Someone acting for this supplier: one of its administrators or bidders.
is_member_of_supplier = rules.predicate(
    is_official & role_grants(Perm.SUBMIT_BID), name="is_member_of_supplier"
)

for _perm in (
    Perm.VIEW_SUPPLIER,
    Perm.MANAGE_SUPPLIER,
    Perm.VERIFY_SUPPLIERS,
    Perm.DEBAR_SUPPLIERS,
    Perm.SUBMIT_BID,
):
    add(_perm, by_role(_perm))
