"""The supplier's pages: tenders matching my categories, and my dashboard items."""

import pytest
from django.urls import reverse

from accounts.models import Role
from core.clock import frozen_at
from home.dashboard import action_items
from tenders import services
from tests.factories import login, make_member
from tests.suppliers.factories import supplier_in_state

from .factories import DAY, SUBMISSION_DEADLINE, plain_user, tender_in_state

pytestmark = pytest.mark.django_db


def test_matching_lists_open_tenders_in_my_companies_categories(client):
    # given: a road-works company (CPV 45233120-6 → group 452)
    supplier, _admin, _reviewer = supplier_in_state("verified", cpv_codes=["45233120-6"])
    user = make_member(Role.BIDDER, organisation=supplier.organisation)
    roads, _team = tender_in_state("published", cpv_code="45233140-2")
    tender_in_state("published", cpv_code="30213100-6")  # laptops
    tender_in_state("draft", cpv_code="45233120-6")
    login(client, user)

    # when
    response = client.get(reverse("tenders:matching"))

    # then
    assert [row["tender"] for row in response.context["rows"]] == [roads]


def test_matching_explains_itself_to_someone_without_a_company(client):
    # given
    login(client, plain_user())

    # when
    response = client.get(reverse("tenders:matching"))

    # then
    assert response.context["rows"] == []
    assert "You are not a member of a registered company." in response.content.decode()


@pytest.mark.parametrize("name", ["matching", "following", "questions"])
def test_the_supplier_pages_need_an_account(client, name):
    # when
    response = client.get(reverse(f"tenders:{name}"))

    # then
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_dashboard_shows_followed_tenders_closing_within_a_week_and_new_answers():
    # given
    supplier, admin, _reviewer = supplier_in_state("verified")
    soon, team = tender_in_state("published")
    later, later_team = tender_in_state("published")
    services.tender_follow(actor=admin, tender=soon)
    services.tender_follow(actor=admin, tender=later)
    asked = services.clarification_ask(
        actor=admin, tender=soon, supplier=supplier, question="Which grade?"
    )
    services.clarification_answer(actor=team.officer, clarification=asked, answer="PG 64-22.")
    # when: three days before the first deadline
    with frozen_at(SUBMISSION_DEADLINE - 3 * DAY):
        services.tender_amend(
            actor=later_team.officer,
            tender=later,
            summary="Extended",
            changes={
                "submission_deadline": SUBMISSION_DEADLINE + 10 * DAY,
                "opening_at": SUBMISSION_DEADLINE + 10 * DAY + DAY,
            },
        )
        items = [item for item in action_items(admin) if "tender" in item.url]

    # then: the soon one only; the answer is older than 7 days by then
    assert [(item.title, item.url) for item in items] == [
        (f"Tender {soon.reference} closes on 6 July 2029, 12:30", f"/tenders/{soon.pk}/"),
    ]
    # and on the day of the answer
    answers = [item for item in action_items(admin) if item.url == "/tenders/questions/"]
    assert [(item.title, item.detail, item.count) for item in answers] == [
        ("New answers to your questions: 1", soon.reference, 1)
    ]
