"""The Atom feed: one entry per publication and per amendment, newest first."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from core.clock import frozen_at
from tenders import services

from .factories import HOUR, NOW, SUBMISSION_DEADLINE, tender_in_state

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_lists_publications_and_amendments_newest_first(client):
    # given
    with frozen_at(NOW - 2 * HOUR):
        first, team = tender_in_state("published", title="First tender")
    with frozen_at(NOW - HOUR):
        second, _team = tender_in_state("published", title="Second tender")
    services.tender_amend(
        actor=team.officer, tender=first, summary="Title corrected", changes={"title": "First"}
    )
    tender_in_state("draft", title="Draft tender")

    # when
    response = client.get(reverse("tenders:feed"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314
    entries = [
        (
            entry.find(f"{ATOM}title").text,
            entry.find(f"{ATOM}link").get("href"),
            entry.find(f"{ATOM}updated").text,
        )
        for entry in root.findall(f"{ATOM}entry")
    ]
    assert entries == [
        (
            f"Amendment 1 to {first.reference}: First",
            f"http://testserver/tenders/{first.pk}/#amendment-1",
            "2029-06-01T09:00:00+00:00",
        ),
        (
            f"Published: {second.reference}: Second tender",
            f"http://testserver/tenders/{second.pk}/",
            "2029-06-01T08:00:00+00:00",
        ),
        (
            f"Published: {first.reference}: First",
            f"http://testserver/tenders/{first.pk}/",
            "2029-06-01T07:00:00+00:00",
        ),
    ]


def _entries(response) -> list[tuple[str, str, str, str]]:
    root = ET.fromstring(response.content)  # noqa: S314
    return [
        (
            entry.find(f"{ATOM}title").text,
            entry.find(f"{ATOM}id").text,
            entry.find(f"{ATOM}updated").text,
            entry.find(f"{ATOM}summary").text,
        )
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_carries_closings_and_cancellations(client):
    # given a tender published then closed at its deadline, and one published then cancelled
    with frozen_at(NOW - 2 * HOUR):
        closed, _team = tender_in_state("closed", title="Closed tender")
    with frozen_at(NOW - HOUR):
        cancelled, team = tender_in_state("published", title="Cancelled tender")
    with frozen_at(NOW):
        services.tender_cancel(
            actor=team.officer, tender=cancelled, reason="The budget was withdrawn."
        )

    # when the feed is read
    entries = _entries(client.get(reverse("tenders:feed")))

    # then the closing (at the deadline), the cancellation and both publications are
    # entries, newest first
    assert entries == [
        (
            f"Closed for bids: {closed.reference}: Closed tender",
            f"urn:panjere:tender:{closed.ocid}:closed",
            SUBMISSION_DEADLINE.isoformat(),
            "The deadline for bids has passed: no bid is accepted any more.",
        ),
        (
            f"Cancelled: {cancelled.reference}: Cancelled tender",
            f"urn:panjere:tender:{cancelled.ocid}:cancelled",
            "2029-06-01T09:00:00+00:00",
            "Reason for cancellation: The budget was withdrawn.",
        ),
        (
            f"Published: {cancelled.reference}: Cancelled tender",
            f"urn:panjere:tender:{cancelled.ocid}:published",
            "2029-06-01T08:00:00+00:00",
            cancelled.description,
        ),
        (
            f"Published: {closed.reference}: Closed tender",
            f"urn:panjere:tender:{closed.ocid}:published",
            "2029-06-01T07:00:00+00:00",
            closed.description,
        ),
    ]


def test_the_feed_speaks_the_language_its_link_carries(client):
    with frozen_at(NOW - HOUR):
        tender, _team = tender_in_state("published", title="Road", title_fa="جاده")

    response = client.get(reverse("tenders:feed"), {"lang": "fa"})

    assert response["Content-Language"] == "fa"
    assert [entry[0] for entry in _entries(response)] == [f"منتشر شد: {tender.reference}: جاده"]
