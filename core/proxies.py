"""The client's address, seen through the reverse proxies the deployment declares.

Every proxy in front of Django appends the address it received the request from
to `X-Forwarded-For` (nginx: `proxy_set_header X-Forwarded-For
$proxy_add_x_forwarded_for`); whatever the client wrote there itself stays on
the left. With `PANJERE_TRUSTED_PROXIES` = n such proxies, the client is the
n-th entry from the right, the one written by the outermost proxy; everything
left of it is the client's own say and is never believed. With 0 (the demo, or
gunicorn answering clients directly) the header is ignored and the client is
`REMOTE_ADDR`.

One answer for everything that counts per address: the API's throttling
(core.api), django-axes' lock-out (AXES_CLIENT_IP_CALLABLE) and the rate limits of
the sign-up and e-mail pages (RATELIMIT_IP_META_KEY). It is DRF's own reading of
NUM_PROXIES, except that an entry that is not an IP address falls back to
`REMOTE_ADDR`: django-axes stores the address in an IP address column.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address of the client that sent `request`, as the trusted proxies saw it."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.PANJERE_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops <= 0 or not forwarded.strip():
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    candidate = entries[-min(hops, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
