"""How pages show a tender's state: the rule is in tenders.selectors, the templates ask it."""

from django import template

from tenders import selectors

register = template.Library()


@register.filter
def tender_state_tone(state: str) -> str:
    """The Bootstrap tone of a state's badge: `text-bg-{{ tender.state|tender_state_tone }}`."""
    return selectors.state_tone(state)
