"""The public reads: never a draft, and a notice in a constant number of queries."""

import pytest

from core.clock import frozen_at
from core.money import Money
from core.money import totals as money_totals
from tenders import selectors, services
from tenders.exceptions import TenderNotFound
from tests.suppliers.factories import supplier_in_state

from .factories import DAY, NOW, SUBMISSION_DEADLINE, buyer_team, draft_tender, tender_in_state

pytestmark = pytest.mark.django_db


def test_the_public_list_holds_what_was_published_newest_first():
    # given a tender in every state, published one hour apart where published
    team = buyer_team()
    made = {}
    for hours, state in enumerate(
        ["draft", "awaiting_approval", "cancelled", "published", "closed", "unsuccessful"]
    ):
        with frozen_at(NOW + hours * DAY / 24):
            made[state] = tender_in_state(state, team=team)[0]
    with frozen_at(NOW + 6 * DAY / 24):
        cancelled_after_publication, _team = tender_in_state("published", team=team)
    services.tender_cancel(actor=team.officer, tender=cancelled_after_publication, reason="R")

    # when
    public = list(selectors.public_tenders())

    # then the draft, the one awaiting approval and the one cancelled as a draft are not public
    assert public == [
        cancelled_after_publication,
        made["unsuccessful"],
        made["closed"],
        made["published"],
    ]


def test_a_draft_has_no_public_notice():
    # given
    tender, _team = tender_in_state("draft")

    # when / then
    with pytest.raises(TenderNotFound) as raised:
        selectors.public_tender_detail(pk=tender.pk)
    assert (raised.value.code, raised.value.status) == ("tender.not_found", 404)


def _notice_with(lots, amendments, questions):
    supplier, admin, _reviewer = supplier_in_state(
        "verified", registration_number=f"9{lots}{amendments}", legal_name=f"S {lots}"
    )
    tender, team = tender_in_state("published", lots=lots)
    for n in range(amendments):
        services.tender_amend(
            actor=team.officer, tender=tender, summary=f"A{n}", changes={"title": f"T{n}"}
        )
    for n in range(questions):
        question = services.clarification_ask(
            actor=admin, tender=tender, supplier=supplier, question=f"Q{n}"
        )
        services.clarification_answer(actor=team.officer, clarification=question, answer="A")
    return tender


@pytest.mark.parametrize(("lots", "amendments", "questions"), [(1, 0, 0), (4, 3, 5)])
def test_the_notice_takes_six_queries_whatever_its_size(
    lots, amendments, questions, django_assert_num_queries
):
    # given
    tender = _notice_with(lots, amendments, questions)

    # when
    with django_assert_num_queries(6):
        detail = selectors.public_tender_detail(ocid=tender.ocid)
        shown = (
            detail.buyer.name,
            [
                (lot.number, [item.description for item in lot.items.all()])
                for lot in detail.lots.all()
            ],
            [a.number for a in detail.amendments.all()],
            [c.number for c in detail.public_clarifications],
            [key.kind for key in detail.sealing_keys.all()],
        )

    # then
    assert shown[1] == [(n, ["Asphalt milling", "Asphalt concrete"]) for n in range(1, lots + 1)]
    assert shown[2] == list(range(1, amendments + 1))
    assert shown[3] == list(range(1, questions + 1))


def test_a_supplier_finds_the_tenders_of_its_categories():
    # given a supplier in CPV 45233120-6 (road works: group 452)
    supplier, _admin, _reviewer = supplier_in_state("verified")
    team = buyer_team()
    same_code, _t = tender_in_state("published", team=team)
    same_group, _t = tender_in_state("published", team=team, cpv_code="45221000-2")
    by_additional, _t = tender_in_state(
        "published", team=team, cpv_code="39112000-0", additional_cpv_codes=["45200000-9"]
    )
    tender_in_state("published", team=team, cpv_code="45300000-0")  # another group
    tender_in_state("published", team=team, cpv_code="39112000-0")  # another division
    tender_in_state("draft", team=team)  # not public
    closed, _t = tender_in_state("closed", team=team)  # no longer open

    # when
    matching = list(selectors.tenders_matching_supplier(supplier=supplier))

    # then
    assert sorted(t.pk for t in matching) == sorted([same_code.pk, same_group.pk, by_additional.pk])
    assert closed not in matching


def test_a_supplier_of_a_whole_division_matches_every_group_in_it():
    # given
    supplier, _admin, _reviewer = supplier_in_state("verified", cpv_codes=["45000000-7"])
    team = buyer_team()
    road, _t = tender_in_state("published", team=team)
    installation, _t = tender_in_state("published", team=team, cpv_code="45300000-0")
    tender_in_state("published", team=team, cpv_code="39112000-0")

    # when
    matching = selectors.tenders_matching_supplier(supplier=supplier)

    # then
    assert sorted(t.pk for t in matching) == sorted([road.pk, installation.pk])


@pytest.mark.parametrize(
    ("code", "prefix"),
    [("45000000-7", "45"), ("45200000-9", "452"), ("45233120-6", "452"), ("03000000-1", "03")],
)
def test_the_prefix_of_a_category_is_its_division_or_its_group(code, prefix):
    assert selectors.cpv_prefix(code) == prefix


def test_matching_tenders_come_deadline_first():
    # given
    supplier, _admin, _reviewer = supplier_in_state("verified")
    team = buyer_team()
    later, _t = tender_in_state(
        "published",
        team=team,
        submission_deadline=SUBMISSION_DEADLINE + DAY,
        opening_at=SUBMISSION_DEADLINE + DAY,
    )
    sooner, _t = tender_in_state("published", team=team)

    # when / then
    assert list(selectors.tenders_matching_supplier(supplier=supplier)) == [sooner, later]


def test_the_lots_values_are_summed_per_currency_beside_the_estimate():
    # given a draft whose two lots add up to its estimate
    tender, team = draft_tender(lots=2, estimated_value=Money("120000000000", "IRR"))

    # when / then: one currency, and they agree
    values = selectors.lot_values(tender)
    assert (values.estimate, values.totals, values.lots_total) == (
        Money("120000000000.00", "IRR"),
        {"IRR": Money("120000000000.00", "IRR")},
        Money("120000000000.00", "IRR"),
    )
    assert (values.one_currency, values.agrees) == (True, True)

    # when a third lot is in euros, nothing is added across currencies
    services.lot_add(
        actor=team.officer, tender=tender, title="Signs", estimated_value=Money("900.5", "EUR")
    )
    values = selectors.lot_values(tender)
    assert values.totals == {
        "IRR": Money("120000000000.00", "IRR"),
        "EUR": Money("900.50", "EUR"),
    }
    assert (values.one_currency, values.lots_total, values.agrees) == (False, None, False)


@pytest.mark.parametrize(
    ("estimate", "lots", "warning"),
    [
        (Money("100.00", "EUR"), [], ""),
        (Money("100.00", "EUR"), [Money("60.00", "EUR"), Money("40.00", "EUR")], ""),
        (
            Money("100.00", "EUR"),
            [Money("60.00", "EUR"), Money("50.00", "EUR")],
            "The lots add up to 110.00 EUR: 10.00 EUR more than the tender's estimate of "
            "100.00 EUR.",
        ),
        (
            Money("100.00", "EUR"),
            [Money("60.00", "EUR"), Money("50.00", "USD")],
            "Some lots are valued in another currency than the tender's estimate (EUR, USD): "
            "their values cannot be added up and compared with it.",
        ),
    ],
)
def test_the_lots_warning_says_how_they_differ_from_the_estimate(estimate, lots, warning):
    from tenders.selectors import LotValues

    assert LotValues(estimate=estimate, totals=money_totals(lots)).warning == warning
