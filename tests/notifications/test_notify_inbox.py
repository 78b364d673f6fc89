"""The inbox page and the dashboard's unread item: read marks are plain POST forms."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from home.dashboard import action_items
from notifications.models import Notification
from tests.factories import UserFactory, login, make_member

INBOX = "/notifications/"
MORNING = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def make_notification(user, title="Tender T-7 was published", **fields):
    return Notification.objects.create(
        recipient=user, kind="tender.published", title=title, language="en", **fields
    )


@pytest.mark.django_db
def test_the_inbox_asks_an_anonymous_visitor_to_log_in(client):
    # when an anonymous visitor opens the inbox
    response = client.get(INBOX)

    # then they are sent to the login page
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={INBOX}"


@pytest.mark.django_db
def test_the_inbox_shows_the_users_own_notifications_with_post_forms(client):
    # given a bidder with one unread and one read notification, and someone else's
    user = make_member(Role.BIDDER)
    unread = make_notification(user, title="Clarification answered", url="/tenders/7/")
    make_notification(user, title="Tender T-7 was published", read_at=MORNING)
    make_notification(UserFactory(), title="Someone else's award")
    login(client, user)

    # when they open the inbox
    response = client.get(reverse("notifications:inbox"))

    # then they see their two notifications and the unread count
    page = response.content.decode()
    assert response.status_code == 200
    assert "Clarification answered" in page
    assert "Tender T-7 was published" in page
    assert "Someone else&#x27;s award" not in page
    assert re.search(r"You have <bdi dir=\"ltr\">1</bdi> unread notification\.", page)
    # and the read marks are forms that post, with the CSRF token (no JavaScript needed)
    mark_read = reverse("notifications:mark_read", args=[unread.pk])
    assert page.count(f'action="{mark_read}" method="post"') == 2  # "Open" and "Mark as read"
    assert f'action="{reverse("notifications:mark_all_read")}" method="post"' in page
    assert page.count('name="csrfmiddlewaretoken"') >= 3


@pytest.mark.django_db
def test_the_inbox_is_paginated_and_filters_unread(client):
    # given 25 notifications, 3 of them read
    user = UserFactory()
    for number in range(25):
        make_notification(
            user,
            title=f"Notice number {number:02d}",
            created_at=MORNING + datetime.timedelta(minutes=number),
            read_at=MORNING if number < 3 else None,
        )
    login(client, user)

    # when they page through
    first = client.get(INBOX).content.decode()
    second = client.get(INBOX, {"page": 2}).content.decode()
    unread = client.get(INBOX, {"show": "unread", "page": 2}).content.decode()

    # then 20 on the first page, newest first, and the rest on the second
    assert re.findall(r"Notice number (\d\d)", first) == [f"{n:02d}" for n in range(24, 4, -1)]
    assert re.findall(r"Notice number (\d\d)", second) == ["04", "03", "02", "01", "00"]
    assert re.findall(r"Notice number (\d\d)", unread) == ["04", "03"]


@pytest.mark.django_db
def test_mark_read_form_marks_it_and_returns_to_the_page(client):
    # given an unread notification
    user = UserFactory()
    notification = make_notification(user)
    login(client, user)

    # when the user presses "Mark as read" on the second page
    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), {"next": f"{INBOX}?page=2"}
    )

    # then it is read and they are back where they were
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?page=2"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_open_marks_it_read_and_follows_its_link_but_never_off_site(client):
    # given a notification with a link
    user = UserFactory()
    notification = make_notification(user, url="/tenders/7/")
    login(client, user)
    url = reverse("notifications:mark_read", args=[notification.pk])

    # when "Open" is pressed, and when a forged form points elsewhere
    opened = client.post(url, {"next": "/tenders/7/"})
    forged = client.post(url, {"next": "https://evil.example/"})

    # then the link is followed, and the foreign address is replaced by the inbox
    assert opened["Location"] == "/tenders/7/"
    assert forged["Location"] == INBOX


@pytest.mark.django_db
def test_nobody_marks_someone_elses_notification_from_the_web(client):
    # given another user's notification
    notification = make_notification(UserFactory())
    login(client, UserFactory())

    # when someone else posts its read mark
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))

    # then it is not found for them, and unchanged
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
def test_read_marks_do_not_change_on_get(client):
    # given an unread notification
    user = UserFactory()
    notification = make_notification(user)
    login(client, user)

    # when a link (GET) points at the read mark
    response = client.get(reverse("notifications:mark_read", args=[notification.pk]))

    # then it is refused and nothing changed
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
def test_mark_all_read_form(client):
    # given two unread notifications
    user = UserFactory()
    make_notification(user)
    make_notification(user)
    login(client, user)

    # when the user presses "Mark all as read"
    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    # then both are read, and the page says so
    assert response.redirect_chain == [(INBOX, 302)]
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0
    assert "All notifications are marked as read." in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_counts_unread_notifications():
    # given a user with two unread and one read notification
    user = UserFactory()
    make_notification(user)
    make_notification(user)
    make_notification(user, read_at=MORNING)

    # when the dashboard asks what needs their attention
    items = [item for item in action_items(user) if item.url == INBOX]

    # then one item says how many are unread and links to the inbox
    assert [(item.title, item.count, item.level) for item in items] == [
        ("2 unread notifications", 2, "info")
    ]
    with translation.override("fa"):
        persian = [item for item in action_items(user) if item.url == INBOX]
    assert persian[0].count == 2
    assert "۲" in persian[0].title


@pytest.mark.django_db
def test_the_dashboard_has_no_notifications_item_when_all_are_read():
    # given a user whose notifications are all read
    user = UserFactory()
    make_notification(user, read_at=MORNING)

    # then the dashboard shows no notifications item
    assert [item for item in action_items(user) if item.url == INBOX] == []
