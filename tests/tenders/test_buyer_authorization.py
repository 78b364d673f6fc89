"""Only the buyer's own people reach its tender pages; everyone else is refused, nothing written."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import login, make_member
from tests.suppliers.factories import supplier_in_state

from .factories import outsider, tender_in_state

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"tender_admin:{name}", args=args)


def _supplier_member():
    _supplier, admin, _reviewer = supplier_in_state("verified")
    return admin


INTRUDERS = {
    "supplier member": _supplier_member,
    "another buyer's officer": lambda: outsider(Role.PROCUREMENT_OFFICER),
    "another buyer's approver": lambda: outsider(Role.APPROVER),
}


@pytest.fixture(params=list(INTRUDERS))
def intruder(request, client):
    user = INTRUDERS[request.param]()
    login(client, user)
    return user


def _attempts(tender):
    lot = tender.lots.first()
    item = lot.items.first()
    return [
        ("get", _url("detail", tender.pk), {}),
        ("get", _url("step_basics", tender.pk), {}),
        ("post", _url("step_basics", tender.pk), {"title": "Hijacked"}),
        ("post", _url("step_lots", tender.pk), {"title": "X", "estimated_value": "1"}),
        ("post", _url("lot_remove", tender.pk, lot.pk), {}),
        ("post", _url("item_remove", tender.pk, item.pk), {}),
        ("post", _url("submit", tender.pk), {}),
        ("post", _url("approve", tender.pk), {}),
        ("post", _url("return", tender.pk), {"reason": "No"}),
        ("post", _url("cancel", tender.pk), {"reason": "No"}),
        ("post", _url("amend", tender.pk), {"summary": "No"}),
    ]


@pytest.mark.parametrize("state", ["draft", "awaiting_approval"])
def test_outsiders_are_refused_everywhere_and_nothing_is_written(
    client, intruder, state, nothing_written
):
    # given
    tender, _team = tender_in_state(state)

    # when
    with nothing_written():
        answers = [
            (url, getattr(client, method)(url, data).status_code)
            for method, url, data in _attempts(tender)
        ]

    # then
    assert answers == [(url, 403) for _method, url, _data in _attempts(tender)]


@pytest.mark.parametrize("who", ["supplier member", "another buyer's approver"])
def test_only_a_procurement_officer_may_create_a_tender(client, who, nothing_written):
    # given
    login(client, INTRUDERS[who]())

    # when
    with nothing_written():
        page = client.get(_url("new"))
        post = client.post(_url("new"), {"reference": "X-1", "title": "X"})

    # then
    assert (page.status_code, post.status_code) == (403, 403)


def test_anonymous_visitors_are_sent_to_the_login_page(client, nothing_written):
    # given
    tender, _team = tender_in_state("awaiting_approval")

    # when
    with nothing_written():
        answers = [getattr(client, m)(url, d) for m, url, d in _attempts(tender)]

    # then
    assert {response.status_code for response in answers} == {302}
    assert all(response["Location"].startswith("/accounts/login/") for response in answers)


def test_a_committee_member_of_the_buyer_cannot_prepare_or_approve(client, nothing_written):
    # given
    tender, team = tender_in_state("awaiting_approval")
    member = make_member(Role.COMMITTEE_MEMBER, organisation=team.buyer)
    login(client, member)

    # when
    with nothing_written():
        answers = [
            client.post(_url("approve", tender.pk)).status_code,
            client.post(_url("submit", tender.pk)).status_code,
            client.post(_url("step_basics", tender.pk), {"title": "X"}).status_code,
        ]

    # then
    assert answers == [403, 403, 403]


def test_an_approver_of_the_buyer_who_is_not_the_designated_one_cannot_approve(
    client, nothing_written
):
    # given
    tender, team = tender_in_state("awaiting_approval")
    other_approver = make_member(Role.APPROVER, organisation=team.buyer)
    login(client, other_approver)

    # when
    with nothing_written():
        response = client.post(_url("approve", tender.pk))

    # then
    assert response.status_code == 403
