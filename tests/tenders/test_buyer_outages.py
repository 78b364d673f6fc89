"""A platform administrator records an outage on its page and sees the tenders it extended."""

import pytest
from django.urls import reverse

from accounts.models import Role
from core.clock import frozen_at
from tenders.models import Outage
from tests.factories import login, make_member

from .factories import SUBMISSION_DEADLINE, tender_in_state

pytestmark = pytest.mark.django_db

URL = reverse("tender_admin:outages")


def test_an_admin_records_an_outage_and_the_affected_tender_is_extended(client):
    # given
    tender, _team = tender_in_state("published")
    admin = make_member(Role.PLATFORM_ADMIN)
    login(client, admin)

    # when: the deadline 2029-07-06 09:00 UTC fell inside 08:00-09:30 UTC (Tehran +3:30)
    with frozen_at(SUBMISSION_DEADLINE.replace(hour=12)):
        response = client.post(
            URL,
            {
                "starts_at": "2029-07-06T11:30",
                "ends_at": "2029-07-06T13:00",
                "reason": "Data centre power failure",
            },
        )
        page = client.get(URL)

    # then
    assert response.status_code == 302
    outage = Outage.objects.get()
    assert outage.reason == "Data centre power failure"
    assert [(a.tender_id, a.number) for a in outage.amendments.all()] == [(tender.pk, 1)]
    assert tender.reference in page.content.decode()


def test_the_end_before_the_start_is_a_field_error(client, nothing_written):
    # given
    admin = make_member(Role.PLATFORM_ADMIN)
    login(client, admin)

    # when
    with nothing_written():
        response = client.post(
            URL,
            {"starts_at": "2029-05-06T11:30", "ends_at": "2029-05-06T10:00", "reason": "Down"},
        )

    # then
    assert response.status_code == 400
    assert response.context["form"].errors == {"ends_at": ["The outage must end after it starts."]}


@pytest.mark.parametrize("role", [Role.PROCUREMENT_OFFICER, Role.APPROVER, Role.AUDITOR])
def test_others_may_not_record_an_outage(client, role, nothing_written):
    # given
    login(client, make_member(role))

    # when
    with nothing_written():
        page = client.get(URL)
        post = client.post(
            URL,
            {"starts_at": "2029-05-06T09:30", "ends_at": "2029-05-06T10:00", "reason": "Down"},
        )

    # then
    assert (page.status_code, post.status_code) == (403, 403)
