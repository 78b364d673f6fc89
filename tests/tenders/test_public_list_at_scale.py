"""The public list at scale: a bounded count and depth, deep pages by key, the stored search
document, the buyer choices, and a number of queries that does not grow with the tenders."""

import pytest
from django.db import connection
from django.urls import reverse

from core.clock import frozen_at
from core.money import Money
from tenders import services, views
from tenders.filters import buyers
from tenders.models import Tender

from .factories import HOUR, NOW, tender_in_state

pytestmark = pytest.mark.django_db

URL = reverse("tenders:list")


def references(response) -> list[str]:
    return [row["tender"].reference for row in response.context["rows"]]


def published(count: int, **overrides) -> list[Tender]:
    """`count` published tenders, an hour apart, the last one the newest."""
    tenders = []
    for n in range(count):
        with frozen_at(NOW - (count - n) * HOUR):
            tender, _team = tender_in_state("published", **overrides)
        tenders.append(tender)
    return tenders


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 tenders, at most 2 pages (4 tenders)."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "MAX_PAGES", 2)


# --- the bounded count and depth -------------------------------------------------------------


def test_beyond_the_bound_the_list_says_more_than_and_shows_only_the_bounded_pages(
    client, small_pages
):
    # given five tenders, one more than two pages of two
    tenders = published(5)

    # when
    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    # then
    assert references(first) == [tenders[4].reference, tenders[3].reference]
    assert references(second) == [tenders[2].reference, tenders[1].reference]
    content = first.content.decode()
    assert "More than 4 tenders: narrow the list down with the search or the filters." in content
    assert "Page 1 of 2" in content


def test_a_page_beyond_the_bound_is_refused_with_a_clear_message(client, small_pages):
    # given
    published(5)

    # when
    response = client.get(URL, {"page": 3})

    # then
    assert response.status_code == 404
    assert response.context["rows"] == []
    assert (
        "Only the first 4 tenders of a list can be browsed. Narrow the list down with the "
        "search or the filters." in response.content.decode()
    )


def test_within_the_bound_the_count_is_exact_and_a_page_too_far_shows_the_last(client, small_pages):
    # given exactly two pages
    tenders = published(4)

    # when
    first = client.get(URL)
    too_far = client.get(URL, {"page": 9})

    # then
    assert "4 tenders" in first.content.decode()
    assert "More than" not in first.content.decode()
    assert too_far.status_code == 200
    assert references(too_far) == [tenders[1].reference, tenders[0].reference]


def test_a_deep_page_read_by_key_keeps_the_filters_and_the_order(client, small_pages):
    # given three tenders of the open method and two restricted ones
    tenders = published(3, procurement_method="open")
    published(2, procurement_method="rfq", estimated_value=Money(1000000, "IRR"))

    # when: page 2 of the open ones, read by key
    response = client.get(URL, {"procurement_method": "open", "page": 2})

    # then
    assert references(response) == [tenders[0].reference]


def test_the_query_count_of_first_and_deep_pages_does_not_grow_with_the_tenders(
    client, small_pages, django_assert_num_queries
):
    # given
    published(3)
    # the releases published (the cache key), the count, the page, the buyers of the filter
    with django_assert_num_queries(4):
        client.get(URL, {"page": 2})
    published(3, lots=2)

    # when / then
    with django_assert_num_queries(4):
        first = client.get(URL)
    with django_assert_num_queries(4):
        deep = client.get(URL, {"page": 2})
    assert len(first.context["rows"]) == len(deep.context["rows"]) == 2


# --- the buyer choices -------------------------------------------------------------------------


def test_the_buyer_choices_are_the_organisations_with_a_published_tender():
    # given: a buyer with two published tenders, one whose tender was cancelled after
    # publication, and buyers with a draft and a tender awaiting approval only
    shown, team = tender_in_state("published")
    tender_in_state("published", team=team)
    cancelled, other = tender_in_state("published")
    services.tender_cancel(actor=other.officer, tender=cancelled, reason="Budget withdrawn")
    tender_in_state("draft")
    tender_in_state("awaiting_approval")

    # when
    organisations = list(buyers())

    # then: each once
    assert [o.pk for o in organisations] == sorted([shown.buyer_id, cancelled.buyer_id])


# --- the stored search document (PostgreSQL) ---------------------------------------------------


def document(tender) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_document::text FROM tenders_tender WHERE id = %s", [tender.pk]
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_the_database_keeps_the_search_document_of_both_languages():
    # when
    tender, _team = tender_in_state(
        "published",
        title="Bridge repair",
        title_fa="تعمیر پل",
        description="Repair of the road bridge.",
        description_fa="",
    )

    # then
    assert document(tender) == "'bridge':1,9 'of':6 'repair':2,5 'road':8 'the':7 'تعمیر':3 'پل':4"


@pytest.mark.postgres
def test_an_amended_title_is_found_and_the_old_one_no_longer(client):
    # given
    tender, team = tender_in_state("published", title="Bridge repair", description="Works.")

    # when
    services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="The title names the river.",
        changes={"title": "Karun crossing repair"},
    )

    # then
    assert "'karun'" in document(tender)
    assert references(client.get(URL, {"q": "karun"})) == [tender.reference]
    assert references(client.get(URL, {"q": "bridge"})) == []


@pytest.mark.postgres
def test_search_ranks_on_the_stored_document_most_relevant_first_then_newest(client):
    # given: "asphalt" three times in the oldest, once in the two others
    oldest, once, newest = published(3, description="Works.")
    Tender.objects.filter(pk=oldest.pk).update(title="Asphalt asphalt asphalt road")
    Tender.objects.filter(pk=once.pk).update(title="Asphalt for the road")
    Tender.objects.filter(pk=newest.pk).update(title="Asphalt for the road")

    # when
    response = client.get(URL, {"q": "asphalt"})

    # then
    assert references(response) == [oldest.reference, newest.reference, once.reference]
    ranks = [row["tender"].search_rank for row in response.context["rows"]]
    assert ranks[0] > ranks[1] == ranks[2] > 0


@pytest.mark.postgres
def test_a_deep_page_of_a_search_keeps_the_rank_order(client, small_pages):
    # given
    oldest, middle, newest = published(3, description="Works.")
    Tender.objects.filter(pk=oldest.pk).update(title="Asphalt asphalt asphalt road")
    Tender.objects.filter(pk=middle.pk).update(title="Asphalt asphalt road")
    Tender.objects.filter(pk=newest.pk).update(title="Asphalt road")

    # when: pages read by key
    first = client.get(URL, {"q": "asphalt"})
    second = client.get(URL, {"q": "asphalt", "page": 2})

    # then
    assert references(first) == [oldest.reference, middle.reference]
    assert references(second) == [newest.reference]
    assert second.context["rows"][0]["tender"].search_rank > 0
