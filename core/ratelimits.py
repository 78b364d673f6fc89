"""Rate limits of the pages that open accounts or send e-mail, with django-ratelimit.

Each limit is a group (`signup.ip`, `password_reset.email`, …) whose rate comes
from the settings (`RATE_LIMITS`, filled from the environment), counted in the
default cache per client address (read through the trusted proxies,
core.proxies), per signed-in user, or per e-mail address asked about. Only POSTs
count: showing a form is free. Past the rate the view is not run: nothing is
written and no e-mail leaves; `core.errors.too_many_requests` answers 429.

Why django-ratelimit 4.1: it counts with the cache's atomic add/incr (concurrent
requests cannot slip past the limit, unlike DRF's throttles, which read and write
a list), its code uses only APIs that are stable through Django 5.2 (its
classifiers stop at 4.2; tests/accounts/test_rate_limits.py exercises it here),
and it takes the client address from our resolver (RATELIMIT_IP_META_KEY). It is
not in INSTALLED_APPS: its decorator and middleware need no app, and its system
check refuses the demo's per-process cache and does not know Django's own Redis
cache backend.
"""

from django.conf import settings
from django_ratelimit.decorators import ratelimit


def _rate(group: str, request) -> str:
    return settings.RATE_LIMITS[group]


def _posted_email(field: str):
    def key(group: str, request) -> str:
        # Case and spaces do not make another address (accounts.models.normalise_email).
        return request.POST.get(field, "").strip().lower()

    return key


def per_ip(group: str):
    """Limit a view's POSTs per client address."""
    return ratelimit(group=group, key="ip", rate=_rate, method="POST")


def per_user(group: str):
    """Limit a view's POSTs per signed-in user."""
    return ratelimit(group=group, key="user", rate=_rate, method="POST")


def per_posted_email(group: str, field: str = "email"):
    """Limit a view's POSTs per e-mail address given in `field`."""
    return ratelimit(group=group, key=_posted_email(field), rate=_rate, method="POST")
