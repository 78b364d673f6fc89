# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""The officers' dashboard item: how many registrations await verification, since when."""

import datetime

import pytest

from accounts.models import Role
from core.clock import frozen_at
from core.dashboard import ActionItem
from home.dashboard import action_items
from suppliers import services
from suppliers.review_dashboard import registrations_awaiting_review
from tests.factories import login, make_member

from .factories import officer, registered_supplier, supplier_in_state

pytestmark = pytest.mark.django_db


def _submit(registration_number, at):
    supplier, admin = registered_supplier(registration_number=registration_number)
    with frozen_at(at):
        services.supplier_submit(actor=admin, supplier=supplier)
    return supplier


@pytest.fixture
def two_waiting():
    _submit("2", datetime.datetime(2026, 2, 3, 6, 0, tzinfo=datetime.UTC))
    _submit("1", datetime.datetime(2026, 1, 15, 8, 30, tzinfo=datetime.UTC))
    # not waiting: verified
    supplier_in_state("verified", registration_number="3")


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.PLATFORM_ADMIN])
def test_an_officer_sees_how_many_registrations_wait_and_since_when(two_waiting, role):
    # when
    items = registrations_awaiting_review(make_member(role))

    # then (Tehran time: 08:30 UTC is 12:00)
    assert items == [
        ActionItem(
            title="2 registrations await verification",
            detail="The oldest has waited since 15 January 2026, 12:00.",
            url="/suppliers/review/",
            count=2,
            level="warning",
        )
    ]


@pytest.mark.parametrize(
    "role", [Role.SUPPLIER_ADMIN, Role.BIDDER, Role.AUDITOR, Role.EVALUATOR, Role.APPROVER]
)
def test_nobody_else_sees_it(two_waiting, role):
    user = make_member(role)

    assert registrations_awaiting_review(user) == []
    assert "await verification" not in " ".join(item.title for item in action_items(user))


def test_nothing_when_the_queue_is_empty():
    supplier_in_state("verified")

    assert registrations_awaiting_review(officer()) == []


def test_one_registration_in_the_singular():
    _submit("9", datetime.datetime(2026, 5, 1, 6, 0, tzinfo=datetime.UTC))

    [item] = registrations_awaiting_review(officer())

    assert item.title == "1 registration awaits verification"


def test_the_item_is_on_the_dashboard_page_in_both_languages(client, two_waiting):
    # given
    login(client, officer())

    # when
    english = client.get("/dashboard/")
    persian = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="fa")

    # then
    assert english.status_code == 200
    page = english.content.decode()
    assert (
        '<a class="fw-semibold" href="/suppliers/review/">2 registrations await verification</a>'
        in page
    )
    assert "The oldest has waited since 15 January 2026, 12:00." in page
    # 15 January 2026 is 25 Dey 1404
    assert "۲۵ دی ۱۴۰۴، ۱۲:۰۰" in persian.content.decode()
