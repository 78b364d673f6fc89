"""Every amount gets its currency (migrations 0009-0011): existing rows keep their amounts,
lots get their tender's currency, and amendments' diffs of amounts gain theirs."""

from decimal import Decimal

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from core.dbroles import grant_runtime

BEFORE = [("tenders", "0008_release_head")]
AFTER = [("tenders", "0011_money_constraints")]


def _owner():
    """The connection migrations run on: the schema's owner where there are two roles."""
    return connections["owner"] if "owner" in connections.settings else connections["default"]


def _migrate(targets):
    executor = MigrationExecutor(_owner())
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor._create_project_state(with_applied_migrations=True).apps


@pytest.fixture
def back_to_the_latest_schema():
    """Migrate every app forward again afterwards: the tests that follow need today's tables
    (the migration back to 0008 also unapplied what was built on the tenders since)."""
    yield
    executor = MigrationExecutor(_owner())
    _migrate(executor.loader.graph.leaf_nodes())
    # as `manage.py migrate` does: the runtime role's rights on the tables made again
    if "owner" in connections.settings:
        grant_runtime()


def _old_tender(apps, *, reference, currency, fee_currency):
    Organisation = apps.get_model("accounts", "Organisation")
    User = apps.get_model("accounts", "User")
    Tender = apps.get_model("tenders", "Tender")
    buyer = Organisation.objects.create(kind="procuring_entity", name=f"Buyer {reference}")
    officer = User.objects.create(email=f"officer-{reference}@example.org", name="Officer")
    return Tender.objects.create(
        buyer=buyer,
        created_by=officer,
        reference=reference,
        ocid=f"ocds-pnj000-{reference}",
        title="Old tender",
        procurement_method="open",
        main_category="works",
        cpv_code="45233120-6",
        estimated_value=Decimal("125000000000.50"),
        currency=currency,
        document_fee=Decimal("5000000.00"),
        document_fee_currency=fee_currency,
    )


@pytest.mark.django_db(transaction=True)
def test_amounts_keep_their_value_and_gain_their_currency(back_to_the_latest_schema):
    # given the database before money had a type: two tenders, their lots and an amendment
    old = _migrate(BEFORE)
    Lot = old.get_model("tenders", "Lot")
    Amendment = old.get_model("tenders", "Amendment")
    rials = _old_tender(old, reference="OLD-1", currency="IRR", fee_currency="IRR")
    euros = _old_tender(old, reference="OLD-2", currency="EUR", fee_currency="USD")
    Lot.objects.create(
        tender=rials,
        number=1,
        title="Section 1",
        estimated_value=Decimal("60000000000.25"),
        bid_security_amount=Decimal("1200000000.00"),
    )
    Lot.objects.create(
        tender=euros,
        number=1,
        title="Ambulances",
        estimated_value=Decimal("3800000.00"),
        bid_security_amount=Decimal("76000.10"),
    )
    Amendment.objects.create(
        tender=euros,
        number=1,
        created_at=euros.created_at,
        summary="Fee and estimate",
        changes={
            "estimated_value": {"from": "3800000.00", "to": "3900000.00"},
            "document_fee": {"from": "50.00", "to": "40.00"},
            "title": {"from": "A", "to": "B"},
        },
    )

    # when the money migrations run
    new = _migrate(AFTER)

    # then every amount is as it was, in the currency it was shown in
    Tender = new.get_model("tenders", "Tender")
    NewLot = new.get_model("tenders", "Lot")
    NewAmendment = new.get_model("tenders", "Amendment")
    assert list(
        Tender.objects.order_by("reference").values_list(
            "reference",
            "estimated_value_amount",
            "estimated_value_currency",
            "document_fee_amount",
            "document_fee_currency",
        )
    ) == [
        ("OLD-1", Decimal("125000000000.5000"), "IRR", Decimal("5000000.0000"), "IRR"),
        ("OLD-2", Decimal("125000000000.5000"), "EUR", Decimal("5000000.0000"), "USD"),
    ]
    assert list(
        NewLot.objects.order_by("tender__reference").values_list(
            "estimated_value_amount",
            "estimated_value_currency",
            "bid_security_amount",
            "bid_security_currency",
        )
    ) == [
        (Decimal("60000000000.2500"), "IRR", Decimal("1200000000.0000"), "IRR"),
        (Decimal("3800000.0000"), "EUR", Decimal("76000.1000"), "EUR"),
    ]
    # and the amendment's diff holds amounts with their currency (the fee's own: USD)
    assert NewAmendment.objects.get().changes == {
        "estimated_value": {
            "from": {"amount": "3800000.00", "currency": "EUR"},
            "to": {"amount": "3900000.00", "currency": "EUR"},
        },
        "document_fee": {
            "from": {"amount": "50.00", "currency": "USD"},
            "to": {"amount": "40.00", "currency": "USD"},
        },
        "title": {"from": "A", "to": "B"},
    }

    # and back: the amounts are as they were, the diffs text again
    back = _migrate(BEFORE)
    assert list(
        back.get_model("tenders", "Lot")
        .objects.order_by("tender__reference")
        .values_list("estimated_value", "bid_security_amount")
    ) == [
        (Decimal("60000000000.25"), Decimal("1200000000.00")),
        (Decimal("3800000.00"), Decimal("76000.10")),
    ]
    assert back.get_model("tenders", "Amendment").objects.get().changes["document_fee"] == {
        "from": "50.00",
        "to": "40.00",
    }
    _migrate(AFTER)
