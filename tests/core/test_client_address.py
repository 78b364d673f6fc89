"""Behind the reverse proxy, throttling and the lock-out count the real client.

The deployment's nginx appends the address it received each request from to
X-Forwarded-For; gunicorn then sees nginx (127.0.0.1, the test client's
REMOTE_ADDR) as the peer. A client may put anything in the header itself: only
the entry written by the trusted proxy counts.
"""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from audit.models import Event
from core.proxies import client_ip
from tests.factories import PASSWORD, UserFactory, make_member

PROXY = "127.0.0.1"
CLIENT = "203.0.113.7"
OTHER_CLIENT = "198.51.100.8"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        # the demo: no proxy, the header is the client's own say
        (0, None, PROXY),
        (0, "192.0.2.1", PROXY),
        # one proxy (nginx): the right-most entry is what nginx saw
        (1, CLIENT, CLIENT),
        (1, f"192.0.2.1, {CLIENT}", CLIENT),
        (1, f"192.0.2.1,10.0.0.1 ,{CLIENT}", CLIENT),
        (1, None, PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
        # two proxies (a load balancer, then nginx): the second entry from the right
        (2, f"192.0.2.1, {CLIENT}, 10.0.0.5", CLIENT),
        (2, CLIENT, CLIENT),
    ],
)
def test_the_client_is_read_through_exactly_the_trusted_proxies(
    settings, hops, forwarded, expected
):
    # given a deployment with `hops` trusted proxies
    settings.PANJERE_TRUSTED_PROXIES = hops
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": hops}
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)

    # when the client's address is read
    address = client_ip(request)

    # then it is the one the outermost trusted proxy saw, as DRF's NUM_PROXIES reads it
    assert address == expected
    assert BaseThrottle().get_ident(request) == expected


@pytest.mark.parametrize("forwarded", ["192.0.2.1, not-an-address", "", " , "])
def test_a_forwarded_entry_that_is_no_address_falls_back_to_the_peer(settings, forwarded):
    # given one trusted proxy that was bypassed, or a header with nothing usable
    settings.PANJERE_TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    # then the peer counts (django-axes keeps addresses in an IP address column)
    assert client_ip(request) == PROXY


def test_drf_reads_as_many_proxies_as_the_platform():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.PANJERE_TRUSTED_PROXIES == 0
    assert settings.AXES_CLIENT_IP_CALLABLE == "core.proxies.client_ip"


# --- API throttling -----------------------------------------------------------------------


@pytest.fixture
def two_a_minute(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"}
    )
    cache.clear()
    yield
    cache.clear()


LIST = "/api/v1/tenders/"


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_dodge_api_throttling(client, settings, two_a_minute):
    # given one trusted proxy
    settings.PANJERE_TRUSTED_PROXIES = 1

    # when one client writes a new address of its own into each request
    statuses = [
        client.get(LIST, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {CLIENT}").status_code
        for n in range(3)
    ]

    # then it is counted as itself, and throttled at the third
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_clients_behind_the_proxy_are_throttled_each_on_their_own(client, settings, two_a_minute):
    # given one trusted proxy, through which every request arrives from 127.0.0.1
    settings.PANJERE_TRUSTED_PROXIES = 1

    # when one client uses up its rate
    first = [client.get(LIST, HTTP_X_FORWARDED_FOR=CLIENT).status_code for _ in range(3)]

    # then another client behind the same proxy still has its own
    other = client.get(LIST, HTTP_X_FORWARDED_FOR=OTHER_CLIENT)
    assert first == [200, 200, 429]
    assert other.status_code == 200


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(client, settings, two_a_minute):
    # given the demo's setting: no proxy
    settings.PANJERE_TRUSTED_PROXIES = 0

    # when a client sends a different forwarded address each time
    statuses = [client.get(LIST, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(3)]

    # then it is still one client: its peer address
    assert statuses == [200, 200, 429]


# --- django-axes' lock-out ------------------------------------------------------------------

LOGIN = "/accounts/login/"


def _login(client, email, password, forwarded):
    return client.post(
        LOGIN, {"username": email, "password": password}, HTTP_X_FORWARDED_FOR=forwarded
    )


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_dodge_the_lockout(client, settings):
    # given one trusted proxy and an official
    settings.PANJERE_TRUSTED_PROXIES = 1
    official = make_member("approver")

    # when an attacker guesses passwords, inventing a new address for each guess
    statuses = [
        _login(client, official.email, f"guess {n}", f"192.0.2.{n}, {CLIENT}").status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    # then the guesses are counted against the attacker's real address, and it is locked
    assert statuses == [200, 200, 200, 200, 429]
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [
        (CLIENT, 5)
    ]
    assert _login(client, official.email, PASSWORD, CLIENT).status_code == 429
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_an_attacker_cannot_lock_an_official_out_from_one_address(client, settings):
    # given one trusted proxy, through which every request arrives from 127.0.0.1
    settings.PANJERE_TRUSTED_PROXIES = 1
    official = UserFactory()

    # when an attacker at one address exhausts the official's failures
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, official.email, f"guess {n}", CLIENT)
    assert _login(client, official.email, PASSWORD, CLIENT).status_code == 429

    # then the official, from their own address, still signs in
    client.cookies.clear()
    response = _login(client, official.email, PASSWORD, f"{CLIENT}, {OTHER_CLIENT}")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == official.pk
    assert list(Event.objects.values_list("action", flat=True)) == ["user.logged_in"]


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_lockout_counts_the_peer(client, settings):
    # given the demo's setting: no proxy
    settings.PANJERE_TRUSTED_PROXIES = 0
    user = UserFactory()

    # when a client sends wrong passwords with a forwarded address of its choosing
    _login(client, user.email, "guess", CLIENT)

    # then the failure is counted against its peer address
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]
