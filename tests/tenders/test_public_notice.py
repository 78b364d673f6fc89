"""The public notice: everything about a tender, the asker never shown, a countdown without JS."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from core.clock import frozen_at
from tenders import services
from tenders.views import remaining_text
from tests.factories import make_member
from tests.suppliers.factories import supplier_in_state

from .factories import DAY, HOUR, NOW, SUBMISSION_DEADLINE, tender_in_state

pytestmark = pytest.mark.django_db


def notice_url(tender):
    return reverse("tenders:notice", kwargs={"key": tender.pk})


@pytest.fixture
def answered():
    """A published tender with two lots, an answered question and an amendment."""
    tender, team = tender_in_state("published", lots=2)
    supplier, admin, _reviewer = supplier_in_state("verified", legal_name="Alborz Asphalt Co.")
    asked = services.clarification_ask(
        actor=admin, tender=tender, supplier=supplier, question="Is milling included in lot 1?"
    )
    services.clarification_answer(
        actor=team.officer, clarification=asked, answer="Yes, milling is in lot 1."
    )
    services.clarification_ask(
        actor=admin, tender=tender, supplier=supplier, question="Unanswered question?"
    )
    services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="Deadline extended by a week",
        changes={
            "submission_deadline": SUBMISSION_DEADLINE + 7 * DAY,
            "opening_at": SUBMISSION_DEADLINE + 7 * DAY + HOUR,
        },
    )
    return tender, team, admin


def test_the_notice_shows_the_tender_to_the_public(client, answered):
    # given
    tender, _team, admin = answered

    # when
    response = client.get(notice_url(tender))

    # then
    assert response.status_code == 200
    content = response.content.decode()
    assert "Resurfacing of the Karaj-Chalus road" in content
    assert "Roads Authority" in content
    assert "45233120-6" in content
    assert "Road construction works" in content  # the CPV label
    assert "125,000,000,000.00" in content
    assert [lot.number for lot in response.context["lots"]] == [1, 2]
    assert content.count("Asphalt concrete") == 2
    assert "Tax clearance certificate" in content
    assert "No conflict of interest" in content
    # the answered question and its answer, never the unanswered one nor who asked
    assert "Is milling included in lot 1?" in content
    assert "Yes, milling is in lot 1." in content
    assert "Unanswered question?" not in content
    assert "Alborz Asphalt Co." not in content
    assert admin.name not in content
    assert admin.email not in content
    # the amendment and its diff
    assert "Amendment 1" in content
    assert "Deadline extended by a week" in content
    [row] = response.context["amendments"]
    assert row["changes"] == [
        {
            "field": "opening_at",
            "label": "opening time",
            "before": "6 July 2029, 13:30",
            "after": "13 July 2029, 13:30",
        },
        {
            "field": "submission_deadline",
            "label": "submission deadline",
            "before": "6 July 2029, 12:30",
            "after": "13 July 2029, 12:30",
        },
    ]


def test_the_notice_is_found_by_its_ocid_too(client, answered):
    # given
    tender, _team, _admin = answered

    # when
    response = client.get(reverse("tenders:notice", kwargs={"key": tender.ocid}))

    # then
    assert response.status_code == 200
    assert response.context["tender"].pk == tender.pk


@pytest.mark.parametrize(
    "address",
    [
        "/tenders/T-DEMO-001/",
        "/tenders/t-demo-001/",
        "/tenders/T-DEMO-%DB%B0%DB%B0%DB%B1/",  # noqa: RUF003 (T-DEMO-۰۰۱, as a Persian keyboard types it)
    ],
    ids=["reference", "any-case", "persian-digits"],
)
def test_the_notice_is_found_by_its_reference(client, address):
    # given a published tender quoted by its reference
    tender, _team = tender_in_state("published", reference="T-DEMO-001")

    # when someone opens the address with the reference in it
    response = client.get(address)

    # then it is the notice
    assert response.status_code == 200
    assert response.context["tender"].pk == tender.pk


@pytest.mark.parametrize("state", ["draft", "awaiting_approval"])
def test_a_reference_that_was_never_published_is_not_found(client, state):
    tender_in_state(state, reference="T-DRAFT-001")

    response = client.get("/tenders/T-DRAFT-001/")

    assert response.status_code == 404
    assert "<title>Page not found" in response.content.decode()


@pytest.mark.parametrize("state", ["draft", "awaiting_approval", "cancelled"])
def test_a_tender_never_published_is_not_found(client, state):
    # given
    tender, _team = tender_in_state(state)

    # when
    response = client.get(notice_url(tender))

    # then
    assert response.status_code == 404


def test_a_cancelled_tender_shows_its_reason(client):
    # given
    tender, team = tender_in_state("published")
    services.tender_cancel(actor=team.officer, tender=tender, reason="The budget was withdrawn.")

    # when
    response = client.get(notice_url(tender))

    # then
    content = response.content.decode()
    assert "This tender is cancelled" in content
    assert "The budget was withdrawn." in content
    assert response.context["remaining"] == "Cancelled"
    assert 'id="countdown" role="timer" aria-live="off">Cancelled</span>' in content


@pytest.mark.parametrize(
    ("before_deadline", "text"),
    [
        (12 * DAY + 4 * HOUR + 30 * datetime.timedelta(minutes=1), "12 days 4 hours left"),
        (1 * DAY, "1 day left"),
        (3 * HOUR + 5 * datetime.timedelta(minutes=1), "3 hours 5 minutes left"),
        (datetime.timedelta(seconds=20), "1 minute left"),
        (datetime.timedelta(0), "Closed"),
        (-HOUR, "Closed"),
    ],
)
def test_the_countdown_is_plain_text(client, before_deadline, text):
    # given
    tender, _team = tender_in_state("published")

    # when
    with frozen_at(tender.submission_deadline - before_deadline):
        response = client.get(notice_url(tender))

    # then
    assert response.context["remaining"] == text
    assert 'id="countdown"' in response.content.decode()
    assert text in response.content.decode()


def test_the_countdown_in_persian():
    # given
    deadline = NOW + 12 * DAY + 4 * HOUR

    # when
    with translation.override("fa"):
        text = remaining_text(deadline, NOW)

    # then
    assert "۱۲" in text and "۴" in text


def test_the_notice_query_count_does_not_grow(client, django_assert_num_queries):
    # given
    tender, _team = tender_in_state("published", lots=1)
    # the tender (with its last release, the sections' cache key), lots, items, amendments,
    # sealing keys, clarifications, documents
    with django_assert_num_queries(7):
        client.get(notice_url(tender))
    bigger, team = tender_in_state("published", lots=3)
    supplier, admin, _reviewer = supplier_in_state("verified")
    for n in range(3):
        asked = services.clarification_ask(
            actor=admin, tender=bigger, supplier=supplier, question=f"Question {n}?"
        )
        services.clarification_answer(actor=team.officer, clarification=asked, answer="Yes.")
    services.tender_amend(
        actor=team.officer, tender=bigger, summary="One", changes={"title": "New title"}
    )

    # when / then
    with django_assert_num_queries(7):
        response = client.get(notice_url(bigger))
    assert len(response.context["clarifications"]) == 3


def test_a_logged_in_bidder_sees_the_follow_and_ask_forms(client):
    # given
    from tests.factories import login

    tender, _team = tender_in_state("published")
    supplier, _admin, _reviewer = supplier_in_state("verified")
    bidder = make_member(Role.BIDDER, organisation=supplier.organisation)
    login(client, bidder)

    # when
    response = client.get(notice_url(tender))

    # then
    content = response.content.decode()
    assert 'id="follow-form"' in content
    assert 'id="ask-form"' in content


def test_a_restricted_notice_counts_its_invited_suppliers_in_the_same_queries(
    client, django_assert_num_queries, settings
):
    # given a published restricted tender with four invited suppliers
    settings.TENDER_RESTRICTED_MIN_INVITATIONS = 4
    tender, _team = tender_in_state("published", procurement_method="restricted")

    # when an anonymous reader opens its notice
    with django_assert_num_queries(7):
        response = client.get(notice_url(tender))

    # then the notice says how many are invited, and not who
    page = response.content.decode()
    assert "4 suppliers are invited." in page
    assert "Invited Builders" not in page
