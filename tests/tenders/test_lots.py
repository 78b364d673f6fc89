"""Lots and their items: added, changed and removed while the tender is a draft."""

from decimal import Decimal

import pytest

from accounts.models import Role
from audit.models import Event
from core.money import Money
from tenders import services
from tenders.exceptions import TenderNotAllowed, TenderNotEditable
from tenders.models import Item, Lot

from .factories import outsider, tender_in_state

pytestmark = pytest.mark.django_db


def test_lots_are_numbered_in_order_with_their_items():
    # given a draft with one lot
    tender, team = tender_in_state("draft")

    # when
    lot = services.lot_add(
        actor=team.officer,
        tender=tender,
        title="Bridges",
        title_fa="پل",
        estimated_value=Money("25000000000.5", "IRR"),
        bid_security=Money(Decimal("500000"), "EUR"),
        items=[{"description": "Bridge deck repair", "quantity": "3", "unit": "H87"}],
    )

    # then
    lot.refresh_from_db()
    assert (lot.number, lot.title, lot.title_fa) == (2, "Bridges", "پل")
    assert str(lot.estimated_value) == "25000000000.50 IRR"
    assert str(lot.bid_security) == "500000.00 EUR"
    assert (lot.bid_security_amount, lot.bid_security_currency) == (Decimal("500000.0000"), "EUR")
    assert list(lot.items.values_list("description", "quantity", "unit", "cpv_code")) == [
        ("Bridge deck repair", Decimal("3.000"), "H87", "")
    ]
    event = Event.objects.filter(action="tender.lot_added").order_by("-seq").first()
    assert event.payload == {
        "lot_id": lot.pk,
        "number": 2,
        "title": "Bridges",
        "title_fa": "پل",
        "description": "",
        "description_fa": "",
        "estimated_value": {"amount": "25000000000.50", "currency": "IRR"},
        "bid_security": {"amount": "500000.00", "currency": "EUR"},
        "items": [{"description": "Bridge deck repair", "quantity": "3.000", "unit": "H87"}],
    }


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"estimated_value": Money("-1", "IRR")}, "money.invalid_amount", "estimated_value"),
        ({"bid_security": Money("-0.01", "IRR")}, "money.invalid_amount", "bid_security"),
        ({"bid_security": Money("0.001", "USD")}, "money.too_many_decimals", "bid_security"),
        ({"estimated_value": Money("1", "CHF")}, "money.currency_not_accepted", "estimated_value"),
        ({"title": ""}, "tender.invalid_field", "title"),
        (
            {"items": [{"description": "Cement", "quantity": "0", "unit": "t"}]},
            "tender.invalid_amount",
            "quantity",
        ),
        (
            {"items": [{"description": "Cement", "quantity": "1", "unit": "t", "cpv_code": "1"}]},
            "tender.unknown_cpv_code",
            "cpv_code",
        ),
        (
            {"items": [{"description": "Cement", "quantity": "1"}]},
            "tender.invalid_field",
            "unit",
        ),
    ],
)
def test_invalid_lots_are_refused(fields, code, field, nothing_written):
    # given
    tender, team = tender_in_state("draft")
    values = {"title": "Bridges", "estimated_value": Money("1000", "IRR"), **fields}

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        services.lot_add(actor=team.officer, tender=tender, **values)
    assert (raised.value.code, raised.value.field) == (code, field)


def test_removing_a_lot_renumbers_the_lots_after_it():
    # given three lots
    tender, team = tender_in_state("draft", lots=3)
    first, second, third = Lot.objects.filter(tender=tender).order_by("number")

    # when
    services.lot_remove(actor=team.officer, lot=second)

    # then
    assert list(
        Lot.objects.filter(tender=tender).order_by("number").values_list("pk", "number")
    ) == [
        (first.pk, 1),
        (third.pk, 2),
    ]
    assert not Item.objects.filter(lot_id=second.pk).exists()
    event = Event.objects.get(action="tender.lot_removed")
    assert event.payload == {
        "lot_id": second.pk,
        "number": 2,
        "title": "Section 2",
        "title_fa": "",
    }


def test_a_lot_and_an_item_are_changed_with_a_diff():
    # given
    tender, team = tender_in_state("draft")
    lot = tender.lots.get()
    item = lot.items.order_by("pk").first()

    # when
    services.lot_update(actor=team.officer, lot=lot, bid_security=Money("1500000000", "IRR"))
    services.item_update(actor=team.officer, item=item, quantity="42500.25")

    # then
    lot.refresh_from_db()
    item.refresh_from_db()
    assert lot.bid_security == Money("1500000000.00", "IRR")
    assert item.quantity == Decimal("42500.250")
    assert Event.objects.get(action="tender.lot_updated").payload == {
        "lot_id": lot.pk,
        "number": 1,
        "changed": {
            "bid_security": {
                "from": {"amount": "1200000000.00", "currency": "IRR"},
                "to": {"amount": "1500000000.00", "currency": "IRR"},
            }
        },
    }
    assert Event.objects.get(action="tender.item_updated").payload == {
        "lot": 1,
        "item_id": item.pk,
        "changed": {"quantity": {"from": "42000.000", "to": "42500.250"}},
    }


def test_items_are_added_and_removed():
    # given
    tender, team = tender_in_state("draft")
    lot = tender.lots.get()

    # when
    item = services.item_add(
        actor=team.officer, lot=lot, description="Road markings", quantity="84", unit="km"
    )
    services.item_remove(actor=team.officer, item=lot.items.order_by("pk").first())

    # then
    assert list(lot.items.order_by("pk").values_list("description", flat=True)) == [
        "Asphalt concrete",
        "Road markings",
    ]
    assert Event.objects.get(action="tender.item_added").payload["item_id"] == item.pk
    assert Event.objects.get(action="tender.item_removed").payload["description"] == (
        "Asphalt milling"
    )


@pytest.mark.parametrize("state", ["awaiting_approval", "published"])
def test_lots_are_fixed_once_the_draft_is_submitted(state, nothing_written):
    # given
    tender, team = tender_in_state(state)
    lot = tender.lots.get()

    # when / then
    with nothing_written(), pytest.raises(TenderNotEditable):
        services.lot_add(
            actor=team.officer, tender=tender, title="More", estimated_value=Money(1, "IRR")
        )
    with nothing_written(), pytest.raises(TenderNotEditable):
        services.lot_remove(actor=team.officer, lot=lot)
    with nothing_written(), pytest.raises(TenderNotEditable):
        services.item_update(actor=team.officer, item=lot.items.first(), unit="kg")


def test_only_the_buyers_officers_change_lots(nothing_written):
    # given
    tender, team = tender_in_state("draft")
    stranger = outsider(Role.PROCUREMENT_OFFICER)

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.lot_add(
            actor=stranger, tender=tender, title="More", estimated_value=Money(1, "IRR")
        )
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.lot_remove(actor=team.approver, lot=tender.lots.get())


def test_a_lot_without_a_bid_security_has_none_in_its_currency():
    # given
    tender, team = tender_in_state("draft")

    # when
    lot = services.lot_add(
        actor=team.officer, tender=tender, title="Signs", estimated_value=Money("700.5", "USD")
    )

    # then
    lot.refresh_from_db()
    assert (str(lot.estimated_value), str(lot.bid_security)) == ("700.50 USD", "0.00 USD")


def test_a_float_never_reaches_a_lot(nothing_written):
    # given
    tender, team = tender_in_state("draft")

    # when / then
    with nothing_written(), pytest.raises(TypeError):
        services.lot_add(actor=team.officer, tender=tender, title="X", estimated_value=12.5)
    with nothing_written(), pytest.raises(TypeError):
        services.lot_update(actor=team.officer, lot=tender.lots.get(), bid_security=0.5)
