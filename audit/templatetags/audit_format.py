"""How the auditor's pages show an event's payload."""

import json

from django import template

register = template.Library()


@register.filter
def pretty_json(value) -> str:
    """The payload as indented JSON, keys sorted (escaped by the template)."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
