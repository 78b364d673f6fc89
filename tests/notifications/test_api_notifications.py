"""The notifications API: a user's own inbox, read marks, by session or bearer token."""

import datetime

import pytest
import time_machine

from accounts.models import Role
from accounts.services import api_token_create
from core.models import OutboxMessage
from notifications.models import Notification
from tests.factories import UserFactory, login, make_member

LIST = "/api/v1/notifications/"
MORNING = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


def make_notification(user, title="Tender T-7 was published", **fields):
    return Notification.objects.create(
        recipient=user, kind="tender.published", title=title, language="en", **fields
    )


@pytest.fixture
def bidder():
    return make_member(Role.BIDDER)


@pytest.fixture
def api(client, bidder):
    return login(client, bidder)


def test_the_list_holds_the_users_own_notifications_newest_first(api, bidder):
    # given two notifications of the user's and one of someone else's
    old = make_notification(
        bidder, title="Old", url="/tenders/1/", created_at=MORNING, read_at=MORNING
    )
    new = make_notification(bidder, title="New", created_at=MORNING + datetime.timedelta(hours=1))
    make_notification(UserFactory(), title="Not yours")

    # when the user lists them
    response = api.get(LIST)

    # then exactly theirs, paginated, newest first
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": new.pk,
                "kind": "tender.published",
                "title": "New",
                "body": "",
                "url": "",
                "language": "en",
                "created_at": "2026-03-01T13:30:00+03:30",
                "read_at": None,
            },
            {
                "id": old.pk,
                "kind": "tender.published",
                "title": "Old",
                "body": "",
                "url": "/tenders/1/",
                "language": "en",
                "created_at": "2026-03-01T12:30:00+03:30",
                "read_at": "2026-03-01T12:30:00+03:30",
            },
        ],
    }


def test_the_list_filters_unread_and_counts_them(api, bidder):
    # given one read and two unread notifications
    make_notification(bidder, read_at=MORNING)
    unread = [make_notification(bidder), make_notification(bidder)]

    # when the user asks for the unread ones and their count
    listed = api.get(LIST, {"unread": "true"}).json()
    count = api.get(f"{LIST}unread-count/").json()

    # then the two
    assert sorted(item["id"] for item in listed["results"]) == sorted(n.pk for n in unread)
    assert count == {"unread": 2}


def test_mark_one_read(api, bidder):
    # given an unread notification
    notification = make_notification(bidder)

    # when the user marks it read
    with time_machine.travel(MORNING, tick=False):
        response = api.post(f"{LIST}{notification.pk}/read/")

    # then it is read, and the answer shows it
    assert response.status_code == 200
    assert response.json()["read_at"] == "2026-03-01T12:30:00+03:30"
    notification.refresh_from_db()
    assert notification.read_at == MORNING
    assert OutboxMessage.objects.count() == 0


def test_mark_all_read(api, bidder):
    # given two unread notifications and someone else's
    make_notification(bidder)
    make_notification(bidder)
    others = make_notification(UserFactory())

    # when the user marks all read
    response = api.post(f"{LIST}read-all/")

    # then theirs are read, the other user's not
    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert Notification.objects.filter(recipient=bidder, read_at__isnull=True).count() == 0
    others.refresh_from_db()
    assert others.read_at is None


def test_a_personal_api_token_reads_the_inbox(client, bidder):
    # given a personal API token
    make_notification(bidder, title="By token")
    _token, raw = api_token_create(actor=bidder, name="script", expires_in_days=30)

    # when a script lists the notifications with it
    response = client.get(LIST, headers={"Authorization": f"Bearer {raw}"})

    # then it sees the holder's notifications
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == ["By token"]
