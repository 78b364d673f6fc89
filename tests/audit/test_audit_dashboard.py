"""The auditor's dashboard panel: events recorded in the last 24 hours."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.dashboard import recent_events
from audit.services import record
from core.clock import frozen_at
from core.dashboard import ActionItem
from home.dashboard import action_items
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def recent_and_old():
    # one event 25 hours ago, three within the last hour
    now = timezone.now()
    moments = [now - datetime.timedelta(hours=25)] + [
        now - datetime.timedelta(minutes=m) for m in (50, 30, 10)
    ]
    for n, moment in enumerate(moments):
        with frozen_at(moment):
            record(action="test.happened", payload={"n": n})


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PLATFORM_ADMIN])
def test_an_auditor_sees_how_many_events_the_last_day_recorded(recent_and_old, role):
    user = make_member(role)

    assert recent_events(user) == [
        ActionItem(
            title="Audit trail",
            detail="3 events recorded in the last 24 hours.",
            url="/audit/",
            count=3,
            level="info",
        )
    ]
    assert recent_events(user)[0] in action_items(user)


@pytest.mark.parametrize(
    "role", [role for role in Role if role not in (Role.AUDITOR, Role.PLATFORM_ADMIN)]
)
def test_other_users_get_no_audit_panel(recent_and_old, role):
    user = make_member(role)

    assert recent_events(user) == []
    assert [item for item in action_items(user) if item.url == "/audit/"] == []
