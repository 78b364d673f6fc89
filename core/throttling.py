"""The API's throttles: DRF's, counting an anonymous client by its real address.

Their own module, imported by DRF's settings while `rest_framework.views` loads:
it must not import the views itself.
"""

from rest_framework.throttling import AnonRateThrottle as DrfAnonRateThrottle
from rest_framework.throttling import UserRateThrottle as DrfUserRateThrottle

from .proxies import client_ip


class AnonRateThrottle(DrfAnonRateThrottle):
    """DRF's rate per anonymous client, counted by its address behind the trusted proxies."""

    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(DrfUserRateThrottle):
    """DRF's rate per user; an anonymous client by its address behind the trusted proxies."""

    def get_ident(self, request):
        return client_ip(request)
