"""A restricted tender: enough invitations to be submitted, the invited told at publication,
and only the invited take part (questions now, bids later)."""

import pytest
from django.core import mail

from accounts.models import Role
from audit.models import Event
from core import outbox
from core.models import OutboxMessage, OutboxStatus
from notifications.models import Notification
from notifications.services import EMAIL_TOPIC, NOTIFY_TOPIC
from tenders import selectors, services
from tenders.exceptions import NotInvited, TenderIncomplete
from tenders.models import Clarification, Tender, TenderState
from tests.factories import make_member
from tests.suppliers.factories import supplier_in_state

from .factories import draft_tender, eligible_supplier, invite_suppliers, tender_in_state

pytestmark = pytest.mark.django_db


def _problems(error):
    return [(problem["field"], problem["code"]) for problem in error.params["problems"]]


# --- submission for approval ----------------------------------------------------------------


def test_a_restricted_draft_below_the_minimum_is_not_submitted(nothing_written):
    # given a complete restricted draft with two invited suppliers (the minimum is 3)
    tender, team = draft_tender(procurement_method="restricted")
    invite_suppliers(tender, team, count=2)

    # when the officer submits it, then it is refused, saying how many are needed
    with nothing_written(), pytest.raises(TenderIncomplete) as caught:
        services.tender_submit_for_approval(actor=team.officer, tender=tender)
    assert _problems(caught.value) == [("invitations", "tender.too_few_invitations")]
    assert caught.value.params["problems"][0]["message"] == (
        "A restricted tender needs at least 3 invited suppliers (invited now: 2)."
    )
    assert Tender.objects.get(pk=tender.pk).state == TenderState.DRAFT


def test_the_minimum_comes_from_the_settings(settings):
    # given a minimum of 1 and a restricted draft with one invited supplier
    settings.TENDER_RESTRICTED_MIN_INVITATIONS = 1
    tender, team = draft_tender(procurement_method="restricted")
    invite_suppliers(tender, team, count=1)

    # when the officer submits it
    services.tender_submit_for_approval(actor=team.officer, tender=tender)

    # then it awaits approval
    assert Tender.objects.get(pk=tender.pk).state == TenderState.AWAITING_APPROVAL


def test_an_open_tender_keeps_no_invitations(nothing_written):
    # given a restricted draft with three invitations, then made open
    tender, team = draft_tender(procurement_method="restricted")
    invite_suppliers(tender, team)
    services.tender_update(actor=team.officer, tender=tender, procurement_method="open")

    # when the officer submits it, then it is refused until the invitations are removed
    with nothing_written(), pytest.raises(TenderIncomplete) as caught:
        services.tender_submit_for_approval(actor=team.officer, tender=tender)
    assert _problems(caught.value) == [("invitations", "tender.invitations_not_allowed")]


def test_the_approver_is_refused_too_if_the_list_fell_below_the_minimum(settings):
    # given a restricted tender awaiting approval, and the minimum raised meanwhile
    tender, team = tender_in_state("awaiting_approval", procurement_method="restricted")
    settings.TENDER_RESTRICTED_MIN_INVITATIONS = 4

    # when the approver approves, then it is refused
    with pytest.raises(TenderIncomplete) as caught:
        services.tender_approve_and_publish(actor=team.approver, tender=tender)
    assert _problems(caught.value) == [("invitations", "tender.too_few_invitations")]
    assert Tender.objects.get(pk=tender.pk).state == TenderState.AWAITING_APPROVAL


# --- publication ------------------------------------------------------------------------------


def test_at_publication_every_invited_suppliers_people_are_told():
    # given a restricted tender awaiting approval: three invited suppliers, one with a bidder too
    tender, team = draft_tender(procurement_method="restricted")
    suppliers = invite_suppliers(tender, team)
    bidder = make_member(Role.BIDDER, organisation=suppliers[0].organisation)
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    admins = [
        supplier.organisation.memberships.get(role=Role.SUPPLIER_ADMIN).user
        for supplier in suppliers
    ]

    # when the approver approves and publishes it
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # then one notification message goes to the invited suppliers' people (after commit)
    message = OutboxMessage.objects.get(topic=NOTIFY_TOPIC, payload__kind="tender.invited")
    assert message.payload["recipients"] == sorted([bidder.pk, *(a.pk for a in admins)])
    assert message.payload["url"] == f"/tenders/{tender.pk}/"

    # and the worker writes each an in-app notification and an email
    assert outbox.process(message.pk) is True
    notifications = Notification.objects.filter(kind="tender.invited").order_by("recipient_id")
    assert [n.recipient_id for n in notifications] == message.payload["recipients"]
    assert notifications[0].title == f"Your company is invited to tender {tender.reference}"
    for email in OutboxMessage.objects.filter(topic=EMAIL_TOPIC, status=OutboxStatus.PENDING):
        assert outbox.process(email.pk) is True
    assert sorted(m.to[0] for m in mail.outbox) == sorted(user.email for user in [bidder, *admins])


def test_an_open_tender_tells_no_supplier_at_publication():
    # given / when an open tender is published
    _tender, _team = tender_in_state("published")

    # then no invitation notice was written
    assert not OutboxMessage.objects.filter(payload__kind="tender.invited").exists()


# --- taking part ------------------------------------------------------------------------------


def test_only_an_invited_supplier_asks_a_question(nothing_written):
    # given a published restricted tender, an invited supplier and a verified one not invited
    tender, team = draft_tender(procurement_method="restricted")
    invited = invite_suppliers(tender, team)[0]
    invited_admin = invited.organisation.memberships.get(role=Role.SUPPLIER_ADMIN).user
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    outsider, outsider_admin = eligible_supplier(legal_name="Outsider Co.")

    # when the supplier that is not invited asks, then it is refused, saying why
    with nothing_written(), pytest.raises(NotInvited) as caught:
        services.clarification_ask(
            actor=outsider_admin, tender=tender, supplier=outsider, question="May we bid?"
        )
    assert (caught.value.code, caught.value.status, caught.value.field) == (
        "tender.not_invited",
        403,
        "supplier",
    )
    assert str(caught.value) == (
        "This tender is restricted to invited suppliers, and Outsider Co. is not invited."
    )

    # and the invited supplier asks
    clarification = services.clarification_ask(
        actor=invited_admin, tender=tender, supplier=invited, question="Which asphalt grade?"
    )
    assert Clarification.objects.get(pk=clarification.pk).asked_by == invited_admin
    assert Event.objects.filter(action="tender.clarification_asked").count() == 1


def test_who_may_take_part():
    # given an open and a restricted published tender, and two eligible suppliers
    open_tender, _team = tender_in_state("published")
    tender, team = draft_tender(procurement_method="restricted")
    invited = invite_suppliers(tender, team)[0]
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    other, _admin = eligible_supplier()

    # when / then any supplier takes part in the open one, only the invited in the restricted
    assert selectors.supplier_may_take_part(tender=open_tender, supplier=other) is True
    assert selectors.supplier_may_take_part(tender=tender, supplier=invited) is True
    assert selectors.supplier_may_take_part(tender=tender, supplier=other) is False


def test_the_tenders_a_users_companies_are_invited_to():
    # given a published and a draft restricted tender inviting the same supplier
    tender, team = draft_tender(procurement_method="restricted")
    supplier = invite_suppliers(tender, team)[0]
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    draft, draft_team = draft_tender(procurement_method="restricted")
    services.tender_invite(actor=draft_team.officer, tender=draft, supplier=supplier)
    bidder = make_member(Role.BIDDER, organisation=supplier.organisation)
    _other_supplier, stranger = eligible_supplier()

    # when / then the supplier's people see the published one only (a draft is the buyer's)
    assert list(selectors.invited_tenders(user=bidder)) == [tender]
    assert list(selectors.invited_tenders(user=stranger)) == []


def test_the_suppliers_that_may_be_invited():
    # given suppliers: eligible ones, one already invited, one suspended, one with expired papers
    tender, team = draft_tender(procurement_method="restricted")
    alborz, _admin = eligible_supplier(legal_name="Alborz Road Builders")
    zagros, _admin = eligible_supplier(legal_name="Zagros Road Builders")
    invited, _admin = eligible_supplier(legal_name="Invited Road Builders")
    services.tender_invite(actor=team.officer, tender=tender, supplier=invited)
    supplier_in_state("suspended", legal_name="Suspended Road Builders", registration_number="77")
    expired, _admin = eligible_supplier(legal_name="Expired Road Builders")
    expired.documents.filter(kind="tax_clearance").update(expires_on="2029-01-01")

    # when the officer searches by name, or by registration number
    by_name = list(selectors.invitable_suppliers(tender=tender, query="road builders"))
    by_number = list(selectors.invitable_suppliers(tender=tender, query=zagros.registration_number))

    # then only those that may bid now and are not invited yet come out, by name
    assert by_name == [alborz, zagros]
    assert by_number == [zagros]
