"""How pages show a supplier's state: the rule is in suppliers.selectors, the templates ask it."""

from django import template

from suppliers import selectors

register = template.Library()


@register.filter
def supplier_state_tone(state: str) -> str:
    """The Bootstrap tone of a state's badge: `text-bg-{{ supplier.state|supplier_state_tone }}`."""
    return selectors.state_tone(state)
