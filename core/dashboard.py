"""The one-window dashboard: each app says what needs the user's action now.

An app contributes by defining `<app>/dashboard.py` with functions decorated
by `@register`; each takes the user and returns a list of `ActionItem`. The
modules are discovered when Django starts (CoreConfig.ready).
"""

from collections.abc import Callable
from dataclasses import dataclass

_panels: list[Callable] = []


@dataclass(frozen=True)
class ActionItem:
    title: str
    detail: str = ""
    url: str = ""
    count: int | None = None
    # "info", "warning" or "danger": how urgent the item is.
    level: str = "info"


def register(panel: Callable) -> Callable:
    _panels.append(panel)
    return panel


def action_items(user) -> list[ActionItem]:
    """Every item that needs `user`'s action now, most urgent first."""
    order = {"danger": 0, "warning": 1, "info": 2}
    items = [item for panel in _panels for item in panel(user)]
    return sorted(items, key=lambda item: order.get(item.level, 3))
