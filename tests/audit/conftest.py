import datetime
import itertools
from types import SimpleNamespace

import pytest

from accounts.models import Role
from audit.services import record
from tests.factories import OrganisationFactory, make_member

# 06:30 UTC is 10:00 in Tehran (the platform's time zone).
FIRST_MOMENT = datetime.datetime(2026, 3, 21, 6, 30, tzinfo=datetime.UTC)


@pytest.fixture
def fixed_clock(monkeypatch):
    """Each recorded event is stamped one minute after the one before, from FIRST_MOMENT."""
    moments = (FIRST_MOMENT + datetime.timedelta(minutes=n) for n in itertools.count())
    monkeypatch.setattr("audit.services.db_now", lambda: next(moments))


@pytest.fixture
def trail(db, fixed_clock):
    """Five events by an officer, a supplier and the platform, about two objects."""
    buyer = OrganisationFactory(name="Ministry of Roads")
    officer = make_member(
        Role.PROCUREMENT_OFFICER, organisation=buyer, email="officer@roads.example"
    )
    supplier = make_member(Role.SUPPLIER_ADMIN, email="sales@builder.example")
    seller = supplier.memberships.get().organisation
    events = [
        record(
            action="tender.published",
            actor=officer,
            obj=buyer,
            payload={"title": "Road 7", "lots": 2},
            reason="Approved by the board",
            organisation=buyer,
            role=Role.PROCUREMENT_OFFICER,
        ),
        record(
            action="bid.submitted",
            actor=supplier,
            obj=seller,
            payload={"envelopes": 2},
            organisation=seller,
            role=Role.SUPPLIER_ADMIN,
        ),
        record(action="tender.closed", obj=buyer, payload={"bids": 1}),
        record(
            action="user.logged_in",
            actor=officer,
            obj=officer,
            organisation=buyer,
            role=Role.PROCUREMENT_OFFICER,
        ),
        record(action="tenderer.noted", payload={"note": "not a tender. event"}),
    ]
    return SimpleNamespace(
        buyer=buyer, seller=seller, officer=officer, supplier=supplier, events=events
    )
