"""What a dashboard panel returns: the items that need the user's action now.

Each app writes its panels in `<app>/dashboard.py`: functions that take the
user and return a list of `ActionItem`. The one-window dashboard, above every
app, lists the panels it shows (`home.dashboard.PANELS`); core imports no app.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ActionItem:
    title: str
    detail: str = ""
    url: str = ""
    count: int | None = None
    # "info", "warning" or "danger": how urgent the item is.
    level: str = "info"
