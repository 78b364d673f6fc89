"""Every tender test runs at a fixed database time (NOW), and can check that nothing was written."""

import contextlib

import pytest

from audit.models import Event
from core.clock import frozen_at
from core.models import OutboxMessage
from tenders.models import (
    Amendment,
    Clarification,
    CommitteeMembership,
    Follow,
    Item,
    KeyShare,
    Lot,
    MemberKey,
    Outage,
    Tender,
    TenderDocument,
    TenderKey,
)

from .factories import NOW

WATCHED = (
    Tender,
    Lot,
    Item,
    CommitteeMembership,
    Amendment,
    Clarification,
    Outage,
    Follow,
    TenderDocument,
    MemberKey,
    TenderKey,
    KeyShare,
)


@pytest.fixture(autouse=True)
def _database_clock():
    """`core.clock.db_now()` is NOW unless a test moves it with `frozen_at`."""
    with frozen_at(NOW):
        yield


def _snapshot() -> dict:
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}
    rows["events"] = Event.objects.count()
    rows["outbox"] = OutboxMessage.objects.count()
    return rows


@pytest.fixture
def nothing_written():
    """A context manager asserting that its block changed no tender row, event or outbox row."""

    @contextlib.contextmanager
    def watch():
        before = _snapshot()
        yield
        assert _snapshot() == before

    return watch
