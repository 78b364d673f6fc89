"""The one-window dashboard's panels, listed floor by floor: what needs the user's action.

Each app's panel is a function in its own `dashboard.py` (user → [ActionItem]);
this list is the only place that says which panels the dashboard shows, and in
which order their items come within one urgency.
"""

from accounts.dashboard import account_items
from audit.dashboard import recent_events
from core.dashboard import ActionItem
from notifications.dashboard import unread_notifications
from suppliers.dashboard import supplier_items
from suppliers.review_dashboard import registrations_awaiting_review
from tenders.dashboard import buyer_tender_items
from tenders.supplier_dashboard import supplier_tender_items

PANELS = (
    account_items,
    unread_notifications,
    recent_events,
    supplier_items,
    registrations_awaiting_review,
    buyer_tender_items,
    supplier_tender_items,
)

# Most urgent first; an unknown level comes last.
URGENCY_ORDER = {"danger": 0, "warning": 1, "info": 2}


def action_items(user) -> list[ActionItem]:
    """Every item that needs `user`'s action now, most urgent first (panel order within one)."""
    items = [item for panel in PANELS for item in panel(user)]
    return sorted(items, key=lambda item: URGENCY_ORDER.get(item.level, 3))
