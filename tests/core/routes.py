"""Every URL pattern of the platform, as a path a test can request."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _route_text(pattern) -> str:
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "regex") and not hasattr(pattern.pattern, "_route"):
        text = _REGEX_GROUP.sub(lambda match: f"<str:{match['name']}>", text)
        text = text.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    return text


def routes(resolver=None, prefix="") -> list[str]:
    """Every route of the URLconf, converters left in: `tenders/<int:pk>/ask/`."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        text = prefix + _route_text(pattern)
        if isinstance(pattern, URLResolver):
            found.extend(routes(pattern, text))
        elif isinstance(pattern, URLPattern):
            found.append(text)
    return sorted(set(found))


def fill(route: str, *, text: str, number: str = "1") -> str:
    """The route as a path: numbers for int converters, `text` for every other one."""
    return "/" + _CONVERTER.sub(
        lambda match: number if match["converter"] == "int" else text, route
    )


def has_text_parameter(route: str) -> bool:
    return any(match["converter"] != "int" for match in _CONVERTER.finditer(route))
