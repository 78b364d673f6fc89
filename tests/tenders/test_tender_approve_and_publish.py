"""Four-eyes approval: the designated approver, never the officer, publishes at database time."""

import pytest

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from core.exceptions import DomainError
from core.models import OutboxMessage
from tenders import services
from tenders.exceptions import FourEyesViolation, TenderIncomplete, TenderNotAllowed
from tenders.models import MemberKey, Release, Tender, TenderKey
from tenders.services import approval
from tests.factories import make_member

from .factories import DAY, HOUR, NOW, outsider, tender_in_state

pytestmark = pytest.mark.django_db


def test_publishing_sets_the_database_time_and_tells_the_officer():
    # given
    tender, team = tender_in_state("awaiting_approval", reference="RA-40")
    published_at = NOW + 2 * HOUR

    # when
    with frozen_at(published_at):
        services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # then
    tender = Tender.objects.get(pk=tender.pk)
    assert (tender.state, tender.published_at, tender.approved_by) == (
        "published",
        published_at,
        team.approver,
    )
    [key] = TenderKey.objects.filter(tender=tender)
    event = Event.objects.get(action="tender.published")
    assert event.actor_user == team.approver
    assert event.recorded_at == published_at
    assert event.payload == {
        "from": "awaiting_approval",
        "to": "published",
        "ocid": "ocds-pnj000-RA-40",
        "published_at": "2029-06-01T11:00:00+00:00",
        "submission_deadline": "2029-07-06T09:00:00+00:00",
        "opening_threshold": 2,
        "sealing_keys": [{"kind": "single", "fingerprint": key.fingerprint}],
        "share_holders": sorted(
            MemberKey.objects.get(user=member).fingerprint for member in team.opening
        ),
    }
    message = OutboxMessage.objects.filter(topic="core.notify").latest("pk")
    assert (message.payload["kind"], message.payload["recipients"]) == (
        "tender.published",
        [team.officer.pk],
    )


def test_the_officer_cannot_approve_their_own_tender(nothing_written):
    # given an officer who also holds the approver role in the buyer
    tender, team = tender_in_state("awaiting_approval")
    make_member(Role.APPROVER, organisation=team.buyer, user=team.officer)

    # when / then
    with nothing_written(), pytest.raises(FourEyesViolation) as raised:
        services.tender_approve_and_publish(actor=team.officer, tender=tender)
    assert (raised.value.code, raised.value.status) == ("tender.four_eyes", 403)
    assert Tender.objects.get(pk=tender.pk).state == "awaiting_approval"


def test_the_officer_who_submitted_cannot_approve_either(nothing_written):
    # given a second officer of the buyer, also an approver, who submitted the tender
    tender, team = tender_in_state("draft")
    second = make_member(Role.PROCUREMENT_OFFICER, organisation=team.buyer)
    make_member(Role.APPROVER, organisation=team.buyer, user=second)
    services.tender_submit_for_approval(actor=second, tender=tender)

    # when / then
    with nothing_written(), pytest.raises(FourEyesViolation):
        services.tender_approve_and_publish(actor=second, tender=tender)


@pytest.mark.parametrize("who", ["another_approver", "other_buyers_approver", "supplier", "admin"])
def test_only_the_designated_approver_approves(who, nothing_written):
    # given
    tender, team = tender_in_state("awaiting_approval")
    actor = {
        "another_approver": make_member(Role.APPROVER, organisation=team.buyer),
        "other_buyers_approver": outsider(Role.APPROVER),
        "supplier": outsider(Role.SUPPLIER_ADMIN),
        "admin": outsider(Role.PLATFORM_ADMIN),
    }[who]

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_approve_and_publish(actor=actor, tender=tender)


def test_an_approver_who_lost_the_role_cannot_approve(nothing_written):
    # given
    tender, team = tender_in_state("awaiting_approval")
    team.approver.memberships.update(is_active=False)

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_approve_and_publish(actor=team.approver, tender=tender)


def test_the_minimum_period_is_checked_again_with_the_clock_at_approval(nothing_written):
    # given a tender submitted with 35 days to go, approved 6 days later
    tender, team = tender_in_state("awaiting_approval")

    # when / then: 29 days are left, fewer than the 30 an open tender needs
    with frozen_at(NOW + 6 * DAY), nothing_written(), pytest.raises(TenderIncomplete) as raised:
        services.tender_approve_and_publish(actor=team.approver, tender=tender)
    assert [p["code"] for p in raised.value.params["problems"]] == ["tender.period_too_short"]


def test_a_clarification_deadline_passed_while_waiting_is_caught(nothing_written):
    # given
    tender, team = tender_in_state("awaiting_approval", procurement_method="rfq")

    # when / then
    with frozen_at(NOW + 21 * DAY), nothing_written(), pytest.raises(TenderIncomplete) as raised:
        services.tender_approve_and_publish(actor=team.approver, tender=tender)
    assert [(p["field"], p["message"]) for p in raised.value.params["problems"]] == [
        ("clarification_deadline", "This date must be in the future.")
    ]


def test_publication_s_consequences_run_inside_the_publication(monkeypatch):
    # given the last of publication's consequences watched: what does it see?
    seen = []
    notify_invited = approval.notify_invited

    def watched(tender):
        seen.append(
            (
                tender.state,
                tender.published_at,
                Event.objects.filter(action="tender.published", object_id=str(tender.pk)).count(),
                Release.objects.filter(tender=tender, tag="tender").count(),
            )
        )
        notify_invited(tender)

    monkeypatch.setattr(approval, "notify_invited", watched)
    tender, team = tender_in_state("awaiting_approval")

    # when
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # then it ran once, the tender published, its event and its release already written
    assert seen == [("published", NOW, 1, 1)]


def test_a_failing_consequence_rolls_the_publication_back(monkeypatch, nothing_written):
    # given a consequence of publication that fails (as the tender keys' generation could)
    class KeysUnavailable(DomainError):
        code = "bidding.keys_unavailable"

    def fail(tender):
        raise KeysUnavailable()

    monkeypatch.setattr(approval, "notify_invited", fail)
    tender, team = tender_in_state("awaiting_approval")

    # when / then
    with nothing_written(), pytest.raises(KeysUnavailable):
        services.tender_approve_and_publish(actor=team.approver, tender=tender)
    assert Tender.objects.get(pk=tender.pk).state == "awaiting_approval"
