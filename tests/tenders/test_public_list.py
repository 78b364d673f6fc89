"""The public list of tenders: search, filters, sorting and pagination, without an account."""

import pytest
from django.urls import reverse

from core.clock import frozen_at
from core.money import Money

from .factories import DAY, HOUR, NOW, tender_in_state

pytestmark = pytest.mark.django_db

URL = reverse("tenders:list")


def references(response) -> list[str]:
    return [row["tender"].reference for row in response.context["rows"]]


@pytest.fixture
def tenders():
    """Three public tenders published an hour apart, a draft and one awaiting approval."""
    with frozen_at(NOW - 3 * HOUR):
        road, _ = tender_in_state(
            "published",
            title="Resurfacing of the Karaj-Chalus road",
            title_fa="بهسازی جاده کرج-چالوس",
            description="Milling and asphalt.",
            estimated_value=Money("125000000000.00", "IRR"),
            submission_deadline=NOW + 40 * DAY,
            opening_at=NOW + 40 * DAY + HOUR,
        )
    with frozen_at(NOW - 2 * HOUR):
        laptops, _ = tender_in_state(
            "published",
            title="Laptops for schools",
            title_fa="رایانه همراه برای مدارس",
            description="Supply of 500 laptops.",
            description_fa="تامین رایانه",
            procurement_method="open",
            main_category="goods",
            cpv_code="30213100-6",
            estimated_value=Money("9000000.00", "EUR"),
            submission_deadline=NOW + 31 * DAY,
            opening_at=NOW + 31 * DAY + HOUR,
        )
    with frozen_at(NOW - HOUR):
        bridge, _ = tender_in_state(
            "published",
            title="Bridge repair",
            description="Repair of the road bridge at Pol-e Sefid.",
            cpv_code="45221111-3",
            estimated_value=Money("50000000000.00", "IRR"),
            submission_deadline=NOW + 35 * DAY,
            opening_at=NOW + 35 * DAY + HOUR,
        )
    draft, _ = tender_in_state("draft", title="Secret road draft")
    waiting, _ = tender_in_state("awaiting_approval", title="Road awaiting approval")
    return {"road": road, "laptops": laptops, "bridge": bridge, "draft": draft, "waiting": waiting}


def test_the_public_sees_published_tenders_newest_first_and_never_drafts(client, tenders):
    # when
    response = client.get(URL)

    # then
    assert response.status_code == 200
    assert references(response) == [
        tenders["bridge"].reference,
        tenders["laptops"].reference,
        tenders["road"].reference,
    ]
    content = response.content.decode()
    assert "Secret road draft" not in content
    assert "Road awaiting approval" not in content
    assert "3 tenders" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("road", ["bridge", "road"]),  # titles and descriptions
        ("ROAD bridge", ["bridge"]),  # every word
        ("مدارس", ["laptops"]),  # the Persian title
        ("تامین", ["laptops"]),  # the Persian description
        ("secret", []),  # drafts are never found
    ],
)
def test_search_in_titles_and_descriptions_in_both_languages(client, tenders, query, expected):
    # when
    response = client.get(URL, {"q": query})

    # then
    assert references(response) == [tenders[name].reference for name in expected]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("road", ["bridge", "road"]),
        ("road bridge", ["bridge"]),
        ("مدارس", ["laptops"]),
        ("laptops -schools", []),
        ("secret", []),
    ],
)
def test_full_text_search_on_postgresql_ranks_and_never_finds_drafts(
    client, tenders, query, expected
):
    # when
    response = client.get(URL, {"q": query})

    # then
    assert sorted(references(response)) == sorted(tenders[name].reference for name in expected)


@pytest.mark.postgres
def test_full_text_search_orders_by_rank_then_newest(client, tenders):
    # given: "road" twice in the bridge's text, once in the road's title
    # when
    response = client.get(URL, {"q": "road"})

    # then
    assert [row["tender"].search_rank > 0 for row in response.context["rows"]] == [True, True]
    ranks = [row["tender"].search_rank for row in response.context["rows"]]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"main_category": "goods"}, ["laptops"]),
        ({"procurement_method": "open"}, ["bridge", "laptops", "road"]),
        ({"cpv": "45"}, ["bridge", "road"]),
        ({"cpv": "4522"}, ["bridge"]),
        ({"cpv": "30213100-6"}, ["laptops"]),
        ({"value_min": "50000000000"}, ["bridge", "road"]),
        ({"value_max": "50000000000"}, ["bridge", "laptops"]),
        ({"currency": "EUR"}, ["laptops"]),
        ({"currency": "IRR", "value_max": "50000000000"}, ["bridge"]),
        ({"currency": "USD"}, []),
        ({"deadline_from": "2029-07-06", "deadline_to": "2029-07-06"}, ["bridge"]),
        ({"deadline_from": "2029-07-07"}, ["road"]),
        ({"state": "published"}, ["bridge", "laptops", "road"]),
        ({"state": "closed"}, []),
    ],
)
def test_filters(client, tenders, params, expected):
    # when
    response = client.get(URL, params)

    # then
    assert references(response) == [tenders[name].reference for name in expected]


def test_filter_by_buyer(client, tenders):
    # when
    response = client.get(URL, {"buyer": tenders["laptops"].buyer_id})

    # then
    assert references(response) == [tenders["laptops"].reference]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("deadline", ["laptops", "bridge", "road"]),
        ("-deadline", ["road", "bridge", "laptops"]),
        ("published", ["road", "laptops", "bridge"]),
        ("-value", ["road", "bridge", "laptops"]),
        ("value", ["laptops", "bridge", "road"]),
    ],
)
def test_sorting(client, tenders, sort, expected):
    # when
    response = client.get(URL, {"sort": sort})

    # then
    assert references(response) == [tenders[name].reference for name in expected]


def test_pages_of_twenty(client):
    # given
    for _n in range(21):
        tender_in_state("published")

    # when
    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    # then
    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 1
    assert "Page 1 of 2" in first.content.decode()


def test_the_query_count_does_not_grow_with_the_tenders(client, django_assert_num_queries):
    # given
    tender_in_state("published")
    # the releases published (the cache key), the count, the page, the buyers of the filter
    with django_assert_num_queries(4):
        client.get(URL, {"q": "road", "cpv": "45"})
    for _n in range(5):
        tender_in_state("published", lots=2)

    # when / then
    with django_assert_num_queries(4):
        response = client.get(URL, {"q": "road", "cpv": "45"})
    assert len(response.context["rows"]) == 6
