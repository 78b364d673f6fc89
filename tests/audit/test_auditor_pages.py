"""The auditor's pages: the trail with its filters, an object's timeline, verification."""

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from accounts.models import Membership, Role
from audit.models import Event
from core.models import OutboxMessage
from tests.factories import login, make_member

from .factories import as_owner

ROWS = re.compile(r'<tr id="event-(\d+)">')
ALLOWED = [Role.AUDITOR, Role.PLATFORM_ADMIN]
REFUSED = [role for role in Role if role not in ALLOWED]


def _rows(response) -> list[int]:
    return [int(seq) for seq in ROWS.findall(response.content.decode())]


def row(html: str, seq: int) -> str:
    """The HTML of event `seq`'s row (up to the next row or the table's end)."""
    start = html.index(f'<tr id="event-{seq}">')
    end = min(
        position
        for position in (
            html.find('<tr id="event-', start + 1),
            html.index("</tbody>\n</table>", start),
        )
        if position != -1
    )
    return html[start:end]


@pytest.fixture
def auditor_client(client):
    return login(client, make_member(Role.AUDITOR))


def test_an_auditor_sees_every_event_newest_first_with_its_hash(trail, auditor_client):
    # when an auditor opens the audit trail
    response = auditor_client.get(reverse("audit:events"))

    # then every event is listed, newest first
    assert response.status_code == 200
    assert _rows(response) == [5, 4, 3, 2, 1]
    html = response.content.decode()
    # with each hash shortened, the full value in its title and its details
    for event in trail.events:
        assert f'<code title="{event.hash}">{event.hash[:12]}…</code>' in html
        assert f'<code class="text-break">{event.hash}</code>' in html
    # and the first event's time (Tehran), actor, organisation, role, action, object and reason
    first = row(html, 1)
    assert '<td><bdi dir="ltr">1</bdi><br><small><bdi>21 March 2026, 10:00</bdi></small></td>' in (
        first
    )
    assert "officer@roads.example" in first
    assert f'?organisation={trail.buyer.pk}"><bdi>Ministry of Roads</bdi></a>' in first
    assert '<small class="audit-role">Procurement officer</small>' in first
    assert '<span class="audit-sentence">Tender published</span>' in first
    assert "<code>tender.published</code>" in first
    timeline = f"/audit/object/accounts.organisation/{trail.buyer.pk}/"
    assert f'href="{timeline}"><bdi>Ministry of Roads</bdi></a>' in first
    assert '<td dir="auto" class="text-break">Approved by the board</td>' in first
    assert "&quot;title&quot;: &quot;Road 7&quot;" in first
    # the platform's own event names no actor
    assert "The platform" in row(html, 3)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param(lambda t: {"organisation": t.buyer.pk}, [4, 1], id="organisation"),
        pytest.param(lambda t: {"actor": "OFFICER@ROADS"}, [4, 1], id="actor-email-contains"),
        pytest.param(lambda t: {"action": "tender.published"}, [1], id="action-exact"),
        pytest.param(lambda t: {"action": "tender"}, [], id="action-exact-only"),
        pytest.param(lambda t: {"action": "tender."}, [3, 1], id="action-prefix-dot"),
        pytest.param(lambda t: {"action": "tender*"}, [5, 3, 1], id="action-prefix-star"),
        pytest.param(
            lambda t: {"object_type": "accounts.organisation", "object_id": t.buyer.pk},
            [3, 1],
            id="object",
        ),
        pytest.param(lambda t: {"object_type": "accounts.user"}, [4], id="object-type"),
        pytest.param(
            lambda t: {"from": "2026-03-21T10:01", "to": "2026-03-21T10:03"},
            [3, 2],
            id="time-range-local",
        ),
        pytest.param(
            lambda t: {"from": "2026-03-21T06:33:00+00:00"}, [5, 4], id="from-with-offset"
        ),
        pytest.param(lambda t: {"actor": "officer", "action": "user."}, [4], id="filters-combine"),
    ],
)
def test_filters_return_exactly_the_matching_events(trail, auditor_client, query, expected):
    response = auditor_client.get(reverse("audit:events"), query(trail))

    assert response.status_code == 200
    assert _rows(response) == expected


def test_an_invalid_filter_shows_its_error_and_no_events(trail, auditor_client):
    response = auditor_client.get(reverse("audit:events"), {"from": "yesterday"})

    assert response.status_code == 400
    assert _rows(response) == []
    assert "Enter a valid date/time." in response.content.decode()


def test_the_list_is_paginated_and_keeps_the_filters(db, fixed_clock, auditor_client):
    # given 60 events, 55 of one kind
    from .factories import make_events

    make_events(55, action="test.many")
    make_events(5, action="test.other")

    # when the second page of the filtered list is opened
    response = auditor_client.get(reverse("audit:events"), {"action": "test.many", "page": 2})

    # then it holds the five oldest, and its links keep the filter
    assert _rows(response) == [5, 4, 3, 2, 1]
    html = response.content.decode()
    assert 'href="?action=test.many&amp;page=1"' in html
    assert 'href="/audit/export/?action=test.many&amp;format=csv"' in html


def test_an_objects_timeline_lists_its_events_oldest_first(trail, auditor_client):
    url = reverse("audit:object_timeline", args=["accounts.organisation", str(trail.buyer.pk)])

    response = auditor_client.get(url)

    assert response.status_code == 200
    assert _rows(response) == [1, 3]
    html = response.content.decode()
    assert "<h1><bdi>Ministry of Roads</bdi></h1>" in html
    assert (
        f'<p class="text-body-secondary">Organisation · '
        f'<bdi dir="ltr">accounts.organisation #{trail.buyer.pk}</bdi></p>'
    ) in html


def test_the_verification_page_says_the_trail_is_intact(trail, auditor_client):
    response = auditor_client.get(reverse("audit:verify"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The audit trail is intact: 5 events." in html
    assert f'<code class="text-break">{trail.events[-1].hash}</code>' in html


@pytest.mark.django_db(transaction=True)
def test_the_verification_page_names_the_first_broken_event(trail, auditor_client):
    with as_owner() as db:
        db.events.filter(seq=2).update(reason="backdated")

    response = auditor_client.get(reverse("audit:verify"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'The audit trail is broken at sequence number <bdi dir="ltr">2</bdi>.' in html
    assert "The event&#x27;s content does not match its hash (altered)." in html
    assert "1 event before it is intact." in html


def test_persian_pages_show_persian_digits(trail, auditor_client):
    auditor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"

    response = auditor_client.get(reverse("audit:events"))

    html = response.content.decode()
    assert '<bdi dir="ltr">۵</bdi>' in html  # noqa: RUF001
    assert "<small><bdi>۱ فروردین ۱۴۰۵، ۱۰:۰۰</bdi></small>" in html  # noqa: RUF001


# --- Who may see -----------------------------------------------------------------------

PAGES = [
    lambda t: reverse("audit:events"),
    lambda t: reverse("audit:object_timeline", args=["accounts.organisation", str(t.buyer.pk)]),
    lambda t: reverse("audit:export") + "?format=json",
    lambda t: reverse("audit:verify"),
]


def _counts():
    return Event.objects.count(), OutboxMessage.objects.count()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ALLOWED)
def test_auditors_and_platform_administrators_may_see(trail, client, role, page):
    login(client, make_member(role))
    before = _counts()

    response = client.get(page(trail))

    assert response.status_code == 200
    assert _counts() == before


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused(trail, client, role, page):
    login(client, make_member(role))
    before = _counts()

    response = client.get(page(trail))

    assert response.status_code == 403
    assert trail.events[0].hash not in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(trail, client, page):
    before = _counts()
    url = page(trail)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    assert _counts() == before


def test_an_auditor_whose_membership_ended_is_refused(trail, client):
    auditor = make_member(Role.AUDITOR)
    Membership.objects.filter(user=auditor).update(is_active=False)
    login(client, auditor)
    before = _counts()

    response = client.get(reverse("audit:events"))

    assert response.status_code == 403
    assert _counts() == before
