"""A supplier's people follow a tender and ask questions from its notice."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from core.models import OutboxMessage
from tenders.models import Clarification, Follow
from tests.factories import login, make_member
from tests.suppliers.factories import supplier_in_state

from .factories import CLARIFICATION_DEADLINE, plain_user, tender_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def bidder():
    supplier, _admin, _reviewer = supplier_in_state("verified")
    return supplier, make_member(Role.BIDDER, organisation=supplier.organisation)


def test_follow_and_unfollow_from_the_notice(client):
    # given
    tender, _team = tender_in_state("published")
    reader = plain_user()
    login(client, reader)

    # when
    followed = client.post(reverse("tenders:follow", kwargs={"pk": tender.pk}))

    # then
    assert followed.status_code == 302
    assert followed["Location"] == f"/tenders/{tender.pk}/"
    assert list(Follow.objects.values_list("user_id", "tender_id")) == [(reader.pk, tender.pk)]
    assert 'id="unfollow-form"' in client.get(followed["Location"]).content.decode()
    following = client.get(reverse("tenders:following"))
    assert [row["tender"] for row in following.context["rows"]] == [tender]

    # and when
    client.post(reverse("tenders:unfollow", kwargs={"pk": tender.pk}))

    # then
    assert Follow.objects.count() == 0
    assert 'id="follow-form"' in client.get(f"/tenders/{tender.pk}/").content.decode()


def test_the_anonymous_public_is_sent_to_log_in_and_nothing_is_written(client):
    # given
    tender, _team = tender_in_state("published")

    # when
    response = client.post(reverse("tenders:follow", kwargs={"pk": tender.pk}))

    # then
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Follow.objects.count() == 0
    assert 'id="follow-form"' not in client.get(f"/tenders/{tender.pk}/").content.decode()


def test_a_draft_cannot_be_followed(client, nothing_written):
    # given
    tender, _team = tender_in_state("draft")
    login(client, plain_user())

    # when
    with nothing_written():
        response = client.post(reverse("tenders:follow", kwargs={"pk": tender.pk}))

    # then
    assert response.status_code == 302
    assert Follow.objects.count() == 0


def test_a_bidder_asks_a_question_from_the_notice(client, bidder):
    # given
    tender, _team = tender_in_state("published")
    supplier, user = bidder
    login(client, user)

    # when
    response = client.post(
        reverse("tenders:ask", kwargs={"pk": tender.pk}),
        {"supplier": supplier.pk, "question": "Which asphalt grade?"},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/tenders/{tender.pk}/#clarifications"
    clarification = Clarification.objects.get()
    assert (clarification.question, clarification.asked_by, clarification.number) == (
        "Which asphalt grade?",
        user,
        1,
    )
    mine = client.get(reverse("tenders:questions"))
    assert [c.question for c in mine.context["page_obj"]] == ["Which asphalt grade?"]
    assert "Not answered yet." in mine.content.decode()


def test_asking_after_the_clarification_deadline_is_refused_as_a_form_error(
    client, bidder, nothing_written
):
    # given
    tender, _team = tender_in_state("published")
    supplier, user = bidder
    login(client, user)

    # when
    with frozen_at(CLARIFICATION_DEADLINE), nothing_written():
        response = client.post(
            reverse("tenders:ask", kwargs={"pk": tender.pk}),
            {"supplier": supplier.pk, "question": "Too late?"},
        )

    # then
    assert response.status_code == 200
    assert response.context["ask_form"].non_field_errors() == [
        "The clarification deadline has passed: questions are no longer accepted."
    ]
    assert Clarification.objects.count() == 0


def test_someone_who_is_not_a_suppliers_representative_cannot_ask(client, nothing_written):
    # given
    tender, _team = tender_in_state("published")
    login(client, plain_user())
    events, outbox = Event.objects.count(), OutboxMessage.objects.count()

    # when
    with nothing_written():
        response = client.post(
            reverse("tenders:ask", kwargs={"pk": tender.pk}), {"question": "May I?"}
        )

    # then
    assert response.status_code == 403
    assert (Event.objects.count(), OutboxMessage.objects.count()) == (events, outbox)
    assert 'id="ask-form"' not in client.get(f"/tenders/{tender.pk}/").content.decode()


def test_a_supplier_cannot_ask_for_another_suppliers_company(client, bidder, nothing_written):
    # given
    tender, _team = tender_in_state("published")
    _supplier, user = bidder
    other, _admin, _reviewer = supplier_in_state(
        "verified", registration_number="999", legal_name="Other Co."
    )
    login(client, user)

    # when
    with nothing_written():
        response = client.post(
            reverse("tenders:ask", kwargs={"pk": tender.pk}),
            {"supplier": other.pk, "question": "For them?"},
        )

    # then
    assert response.status_code == 200
    assert list(response.context["ask_form"].errors) == ["supplier"]
