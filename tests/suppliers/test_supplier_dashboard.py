"""The supplier's items on the dashboard: missing, requested, expiring, expired, eligible."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from core.clock import frozen_at
from suppliers import services
from suppliers.dashboard import supplier_items
from tests.factories import UserFactory, login, make_member

from .factories import pdf, registered_supplier, supplier_in_state

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _summary(items):
    return [(item.level, item.title, item.url) for item in items]


def test_someone_without_a_role_is_invited_to_register():
    # when
    items = supplier_items(UserFactory())

    # then
    assert _summary(items) == [("info", "Register your company", reverse("suppliers:register"))]


def test_nothing_for_an_official():
    assert supplier_items(make_member(Role.PROCUREMENT_OFFICER)) == []


def test_an_incomplete_draft_says_what_is_missing():
    # given
    supplier, admin = registered_supplier(documents=False, tax_id="")

    # when
    items = supplier_items(admin)

    # then
    assert _summary(items) == [
        (
            "warning",
            "Complete the registration of Alborz Road Builders Co.",
            reverse("suppliers:step_company", args=[supplier.pk]),
        )
    ]
    assert items[0].count == 4
    assert items[0].detail == (
        "Tax identification number is required. "
        "Upload the document: Registration certificate. "
        "Upload the document: Tax clearance certificate. "
        "Upload the document: Social security clearance."
    )


def test_a_complete_draft_asks_to_be_submitted():
    # given
    supplier, admin = registered_supplier()

    # then
    assert _summary(supplier_items(admin)) == [
        (
            "warning",
            "Submit the registration of Alborz Road Builders Co.",
            reverse("suppliers:step_review", args=[supplier.pk]),
        )
    ]


def test_requested_changes_need_action_now():
    # given
    supplier, admin, _officer = supplier_in_state("changes_requested")

    # when
    items = supplier_items(admin)

    # then
    assert _summary(items) == [
        (
            "danger",
            "Changes requested to the registration of Alborz Road Builders Co.",
            reverse("suppliers:detail", args=[supplier.pk]),
        )
    ]
    assert items[0].detail == "An officer asked for 1 change. Fix it and submit again."


def test_a_verified_supplier_with_valid_documents_may_bid():
    # given
    supplier, admin, _officer = supplier_in_state("verified")

    # then
    assert _summary(supplier_items(admin)) == [
        (
            "info",
            "Alborz Road Builders Co. is verified",
            reverse("suppliers:detail", args=[supplier.pk]),
        )
    ]


def test_documents_expiring_within_30_days_and_expired_ones():
    # given: verified; then one required document renewed with a near expiry
    with frozen_at(NOW):
        supplier, admin, _officer = supplier_in_state("verified")
        services.supplier_document_upload(
            actor=admin,
            supplier=supplier,
            kind="tax_clearance",
            uploaded=pdf(),
            issued_on=datetime.date(2026, 1, 10),
            expires_on=datetime.date(2026, 3, 20),
        )

        # when
        soon = supplier_items(admin)
    with frozen_at(NOW + datetime.timedelta(days=30)):
        later = supplier_items(admin)

    # then
    documents_url = reverse("suppliers:step_documents", args=[supplier.pk])
    assert _summary(soon) == [
        (
            "warning",
            "“Tax clearance certificate” of Alborz Road Builders Co. expires on 20 March 2026",
            f"{documents_url}?kind=tax_clearance",
        ),
        (
            "info",
            "Alborz Road Builders Co. is verified",
            reverse("suppliers:detail", args=[supplier.pk]),
        ),
    ]
    assert _summary(later) == [
        (
            "danger",
            "Alborz Road Builders Co. may not bid: a required document has expired",
            documents_url,
        )
    ]
    assert later[0].detail == (
        "The required document expired on 20 March 2026: Tax clearance certificate."
    )


def test_a_bidder_is_sent_to_the_status_page_not_the_wizard():
    # given
    supplier, _admin = registered_supplier(documents=False)
    bidder = make_member(Role.BIDDER, organisation=supplier.organisation)

    # then
    assert [item.url for item in supplier_items(bidder)] == [
        reverse("suppliers:detail", args=[supplier.pk])
    ]


def test_the_dashboard_page_shows_the_item(client):
    # given
    _supplier, admin = registered_supplier(documents=False)
    login(client, admin)

    # when
    response = client.get(reverse("dashboard"))

    # then
    assert response.status_code == 200
    assert "Complete the registration of Alborz Road Builders Co." in response.content.decode()
