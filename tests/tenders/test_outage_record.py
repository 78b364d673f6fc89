"""The outage rule: deadlines in a recorded outage, or just after it, are extended by amendment.

Window [S, E] = 08:00-10:00 on the deadline day (L = 2 h), margin M = 2 h, recorded
at R = 10:15. A deadline D in [08:00, 12:00] moves to max(D + L + M, R + M).
"""

import datetime

import pytest

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from core.models import OutboxMessage
from tenders import services
from tenders.exceptions import InvalidOutage, OutageOverlaps, ReasonRequired, TenderNotAllowed
from tenders.models import Amendment, Outage, Tender

from .factories import HOUR, buyer_team, outsider, plain_user, tender_in_state

pytestmark = pytest.mark.django_db


def at(hour, minute=0, second=0):
    return datetime.datetime(2029, 7, 6, hour, minute, second, tzinfo=datetime.UTC)


START, END, RECORDED = at(8), at(10), at(10, 15)


def _published(team, deadline):
    tender, _team = tender_in_state(
        "published", team=team, submission_deadline=deadline, opening_at=deadline + HOUR
    )
    return tender


@pytest.fixture
def tenders():
    team = buyer_team()
    tenders = {
        "inside": _published(team, at(9)),
        "at_start": _published(team, START),
        "at_margin_end": _published(team, at(12)),
        "before": _published(team, at(7, 59, 59)),
        "after": _published(team, at(12, 0, 1)),
        "awaiting": tender_in_state(
            "awaiting_approval", team=team, submission_deadline=at(9), opening_at=at(10)
        )[0],
    }
    # the sweep closed what was due while the platform was down (its workers were up)
    with frozen_at(END):
        assert services.tender_close_due() == 3
    return team, tenders


def test_exactly_the_affected_tenders_are_extended_by_the_rule(tenders):
    # given
    _team, tenders = tenders
    admin = outsider(Role.PLATFORM_ADMIN)

    # when
    with frozen_at(RECORDED):
        outage = services.outage_record(
            actor=admin, starts_at=START, ends_at=END, reason="Database failover failed."
        )

    # then each affected deadline moves by L + M = 4 h (at least to R + M), its opening with it
    current = {name: Tender.objects.get(pk=tender.pk) for name, tender in tenders.items()}
    assert {
        name: (t.state, t.submission_deadline, t.opening_at) for name, t in current.items()
    } == {
        "inside": ("published", at(13), at(14)),
        # 08:00 + 4 h = 12:00 is less than R + M = 12:15
        "at_start": ("published", at(12, 15), at(13, 15)),
        "at_margin_end": ("published", at(16), at(17)),
        "before": ("closed", at(7, 59, 59), at(8, 59, 59)),
        "after": ("published", at(12, 0, 1), at(13, 0, 1)),
        "awaiting": ("awaiting_approval", at(9), at(10)),
    }
    assert current["inside"].closed_at is None
    assert (outage.starts_at, outage.ends_at, outage.recorded_at, outage.recorded_by) == (
        START,
        END,
        RECORDED,
        admin,
    )


def test_each_extension_is_an_amendment_on_the_record_with_its_notice(tenders):
    # given
    team, tenders = tenders
    follower = plain_user()
    services.tender_follow(actor=follower, tender=tenders["inside"])
    admin = outsider(Role.PLATFORM_ADMIN)
    seq = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    outbox_before = OutboxMessage.objects.count()

    # when
    with frozen_at(RECORDED):
        outage = services.outage_record(
            actor=admin, starts_at=START, ends_at=END, reason="Database failover failed."
        )

    # then
    amendment = Amendment.objects.get(tender=tenders["inside"])
    assert (amendment.number, amendment.created_at, amendment.created_by, amendment.outage) == (
        1,
        RECORDED,
        None,
        outage,
    )
    assert amendment.material is False
    assert amendment.summary == "Submission deadline extended after a platform outage"
    assert amendment.notice == (
        "The platform was unavailable from 2029-07-06 08:00 to 2029-07-06 10:00 (UTC). The "
        "submission deadline moves from 2029-07-06 09:00 to 2029-07-06 13:00 (UTC) under the "
        "outage rule."
    )
    assert amendment.changes == {
        "submission_deadline": {
            "from": "2029-07-06T09:00:00+00:00",
            "to": "2029-07-06T13:00:00+00:00",
        },
        "opening_at": {"from": "2029-07-06T10:00:00+00:00", "to": "2029-07-06T14:00:00+00:00"},
    }
    affected = [tenders[name].pk for name in ("inside", "at_start", "at_margin_end")]
    assert sorted(Amendment.objects.values_list("tender_id", flat=True)) == sorted(affected)
    events = list(Event.objects.filter(seq__gt=seq).order_by("seq"))
    assert [(e.action, e.object_id) for e in events] == [
        ("outage.recorded", str(outage.pk)),
        *(
            pair
            for pk in sorted(affected)
            for pair in (
                [("tender.reopened", str(pk)), ("tender.amended", str(pk))]
                if pk != tenders["at_margin_end"].pk
                else [("tender.amended", str(pk))]
            )
        ),
    ]
    assert events[0].payload == {
        "starts_at": "2029-07-06T08:00:00+00:00",
        "ends_at": "2029-07-06T10:00:00+00:00",
        "margin_hours": 2,
        "tender_ids": sorted(affected),
    }
    assert all(e.actor_user == admin for e in events)
    messages = list(OutboxMessage.objects.order_by("pk")[outbox_before:])
    assert [m.payload["kind"] for m in messages] == ["tender.extended_after_outage"] * 3
    recipients = {m.payload["recipients"][-1] for m in messages}
    assert follower.pk in recipients
    assert all(m.payload["recipients"][0] == team.officer.pk for m in messages)


def test_a_reopened_tender_is_not_closed_again_before_its_new_deadline(tenders):
    # given
    _team, tenders = tenders
    with frozen_at(RECORDED):
        services.outage_record(
            actor=outsider(Role.PLATFORM_ADMIN), starts_at=START, ends_at=END, reason="Down"
        )

    # when the sweep runs between the old and the new deadlines, then at the new one
    with frozen_at(at(12, 59, 59)):
        before = services.tender_close_due()
    with frozen_at(at(13)):
        at_new_deadline = services.tender_close_due()

    # then
    assert before == 2  # "after" (12:00:01) and "at_start" (12:15)
    assert at_new_deadline == 1
    assert Tender.objects.get(pk=tenders["inside"].pk).state == "closed"


def test_an_outage_recorded_late_leaves_the_margin_after_the_record():
    # given a 30-minute outage recorded four hours after it ended
    team = buyer_team()
    tender = _published(team, at(8, 15))

    # when
    with frozen_at(at(12, 30)):
        services.outage_record(
            actor=outsider(Role.PLATFORM_ADMIN), starts_at=at(8), ends_at=at(8, 30), reason="Down"
        )

    # then D + L + M = 10:45 has passed: the deadline is R + M = 14:30
    tender.refresh_from_db()
    assert (tender.state, tender.submission_deadline, tender.opening_at) == (
        "published",
        at(14, 30),
        at(15, 30),
    )


def test_the_margin_comes_from_the_settings(settings):
    # given a margin of 1 hour: 11:30 is outside [08:00, 11:00]
    settings.TENDER_OUTAGE_MARGIN_HOURS = 1
    team = buyer_team()
    inside, outside = _published(team, at(10, 30)), _published(team, at(11, 30))

    # when
    with frozen_at(RECORDED):
        services.outage_record(
            actor=outsider(Role.PLATFORM_ADMIN), starts_at=START, ends_at=END, reason="Down"
        )

    # then 10:30 + 2 h + 1 h
    assert Tender.objects.get(pk=inside.pk).submission_deadline == at(13, 30)
    assert Tender.objects.get(pk=outside.pk).submission_deadline == at(11, 30)


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field", "message"),
    [
        (END, START, "ends_at", "The outage must end after it starts."),
        (START, START, "ends_at", "The outage must end after it starts."),
        (
            START,
            at(10, 16),
            "ends_at",
            "An outage is recorded once it is over: its end cannot be in the future.",
        ),
    ],
)
def test_an_invalid_window_is_refused(starts_at, ends_at, field, message, nothing_written):
    # given
    admin = outsider(Role.PLATFORM_ADMIN)

    # when / then
    with frozen_at(RECORDED), nothing_written(), pytest.raises(InvalidOutage) as raised:
        services.outage_record(actor=admin, starts_at=starts_at, ends_at=ends_at, reason="Down")
    assert (raised.value.field, str(raised.value)) == (field, message)


def test_an_overlapping_window_is_refused_so_no_deadline_is_extended_twice(nothing_written):
    # given
    admin = outsider(Role.PLATFORM_ADMIN)
    with frozen_at(RECORDED):
        services.outage_record(actor=admin, starts_at=START, ends_at=END, reason="Down")

    # when / then
    with frozen_at(RECORDED), nothing_written(), pytest.raises(OutageOverlaps) as raised:
        services.outage_record(actor=admin, starts_at=at(9, 59), ends_at=at(10, 10), reason="x")
    assert raised.value.code == "outage.overlaps"
    assert Outage.objects.count() == 1


def test_an_adjacent_window_is_accepted():
    # given
    admin = outsider(Role.PLATFORM_ADMIN)
    with frozen_at(RECORDED):
        services.outage_record(actor=admin, starts_at=START, ends_at=END, reason="Down")

        # when
        services.outage_record(actor=admin, starts_at=END, ends_at=at(10, 10), reason="Again")

    # then
    assert Outage.objects.count() == 2


def test_a_reason_is_required(nothing_written):
    # when / then
    with frozen_at(RECORDED), nothing_written(), pytest.raises(ReasonRequired):
        services.outage_record(
            actor=outsider(Role.PLATFORM_ADMIN), starts_at=START, ends_at=END, reason=""
        )


@pytest.mark.parametrize("role", [Role.PROCUREMENT_OFFICER, Role.AUDITOR, Role.APPROVER])
def test_only_a_platform_administrator_records_an_outage(role, nothing_written):
    # when / then
    with frozen_at(RECORDED), nothing_written(), pytest.raises(TenderNotAllowed):
        services.outage_record(actor=outsider(role), starts_at=START, ends_at=END, reason="x")
