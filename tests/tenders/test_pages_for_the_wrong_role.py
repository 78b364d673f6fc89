"""A page a role cannot use refuses with the styled 403, instead of showing an empty list."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import Event
from core.models import OutboxMessage
from tests.factories import UserFactory, login, make_member

pytestmark = pytest.mark.django_db

SUPPLIER_PAGES = ["tenders:matching", "tenders:questions", "tenders:invited"]
BUYER_SIDE = [
    Role.PROCUREMENT_OFFICER,
    Role.APPROVER,
    Role.COMMITTEE_MEMBER,
    Role.EVALUATOR,
    Role.CONTRACT_MANAGER,
]
OVERSIGHT = [Role.AUDITOR, Role.PLATFORM_ADMIN]


def _counts():
    return Event.objects.count(), OutboxMessage.objects.count()


def _refused(response) -> None:
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert '<h1 class="h3">Access denied</h1>' in response.content.decode()


@pytest.mark.parametrize("page", SUPPLIER_PAGES)
@pytest.mark.parametrize("role", BUYER_SIDE + OVERSIGHT)
def test_a_supplier_page_refuses_a_buyer_or_an_auditor(client, page, role):
    login(client, make_member(role))
    before = _counts()

    response = client.get(reverse(page))

    _refused(response)
    assert _counts() == before


@pytest.mark.parametrize("page", SUPPLIER_PAGES)
@pytest.mark.parametrize("role", [Role.SUPPLIER_ADMIN, Role.BIDDER])
def test_a_supplier_page_opens_for_a_suppliers_people(client, page, role):
    login(client, make_member(role))

    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", SUPPLIER_PAGES)
def test_a_supplier_page_opens_for_someone_without_a_role_yet(client, page):
    # who is shown how to register a company, not refused
    login(client, UserFactory())

    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("role", [Role.SUPPLIER_ADMIN, Role.BIDDER, *OVERSIGHT])
def test_the_buyers_list_refuses_those_outside_a_procuring_entity(client, role):
    login(client, make_member(role))
    before = _counts()

    response = client.get(reverse("tender_admin:list"))

    _refused(response)
    assert _counts() == before


def test_the_buyers_list_refuses_someone_without_a_role(client):
    login(client, UserFactory())

    _refused(client.get(reverse("tender_admin:list")))


@pytest.mark.parametrize("role", BUYER_SIDE)
def test_the_buyers_list_opens_for_a_procuring_entitys_people(client, role):
    login(client, make_member(role))

    assert client.get(reverse("tender_admin:list")).status_code == 200


def test_the_public_list_offers_a_buyer_no_supplier_page(client):
    login(client, make_member(Role.PROCUREMENT_OFFICER))

    html = client.get(reverse("tenders:list")).content.decode()

    assert 'href="/tenders/following/">Following</a>' in html
    assert "/tenders/matching/" not in html
    assert "/tenders/questions/" not in html
    assert "/tenders/invited/" not in html


def test_the_public_list_offers_a_supplier_its_pages(client):
    login(client, make_member(Role.BIDDER))

    html = client.get(reverse("tenders:list")).content.decode()

    for page in ("matching", "questions", "invited"):
        assert f'href="/tenders/{page}/"' in html
