"""Platform outages: recorded by an administrator, they extend the deadlines they touched."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.permissions import Perm, has_perm
from audit.services import record
from core.clock import db_now

from .. import ocds, validation
from ..exceptions import InvalidOutage, OutageOverlaps
from ..lock_objects import tenders_for_update
from ..models import Amendment, Outage, Tender, TenderState
from ..notifications import followers, notify_tender
from .amendments import next_amendment_number
from .fields import jsonable
from .steps import clean_reason, require, run_tender_transition


def outage_record(*, actor, starts_at, ends_at, reason: str) -> Outage:
    """Record a window in which the platform was unavailable, and apply the outage rule.

    The rule. Let the window be [S, E], its length L = E - S, and the margin
    M = TENDER_OUTAGE_MARGIN_HOURS. Every tender still open or just closed
    (published, or closed with its opening not begun) whose submission deadline
    D lies in [S, E + M] gets its deadline moved to

        D' = max(D + L + M, R + M)

    where R is the time the outage is recorded (the database time), so the
    new deadline always leaves bidders at least M after the record is public.
    The opening time moves by the same amount (D' - D), keeping its interval
    after the deadline; the clarification deadline does not move. A tender
    that the sweep had closed meanwhile is reopened (`tender.reopened`).
    Each extension is a numbered amendment by the platform, with its diff and
    notice, on the audit trail and notified to the officer and the followers.
    Windows may not overlap an outage already recorded (no double extension).
    """
    reason = clean_reason(reason)
    starts_at = validation.clean_datetime(starts_at, field="starts_at")
    ends_at = validation.clean_datetime(ends_at, field="ends_at")
    if starts_at is None:
        raise InvalidOutage(_("Give the start of the outage."), field="starts_at")
    if ends_at is None:
        raise InvalidOutage(_("Give the end of the outage."), field="ends_at")
    if ends_at <= starts_at:
        raise InvalidOutage(_("The outage must end after it starts."), field="ends_at")
    with transaction.atomic(durable=True):
        require(has_perm(actor, Perm.RECORD_OUTAGE))
        now = db_now()
        if ends_at > now:
            raise InvalidOutage(
                _("An outage is recorded once it is over: its end cannot be in the future."),
                field="ends_at",
            )
        _serialise_outage_records()
        if Outage.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
            raise OutageOverlaps(field="starts_at")
        outage = Outage.objects.create(
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            recorded_by=actor,
            recorded_at=now,
        )
        margin = datetime.timedelta(hours=settings.TENDER_OUTAGE_MARGIN_HOURS)
        affected = tenders_for_update(
            Tender.objects.filter(
                state__in=[TenderState.PUBLISHED, TenderState.CLOSED],
                submission_deadline__gte=starts_at,
                submission_deadline__lte=ends_at + margin,
            )
        )
        record(
            action="outage.recorded",
            actor=actor,
            obj=outage,
            reason=reason,
            role=Role.PLATFORM_ADMIN,
            payload={
                "starts_at": jsonable(starts_at),
                "ends_at": jsonable(ends_at),
                "margin_hours": settings.TENDER_OUTAGE_MARGIN_HOURS,
                "tender_ids": [tender.pk for tender in affected],
            },
        )
        for tender in affected:
            _extend_after_outage(tender, outage=outage, actor=actor, now=now)
    return outage


def outage_extension(
    *, deadline: datetime.datetime, outage: Outage, now: datetime.datetime
) -> datetime.datetime:
    """The new submission deadline of a tender affected by `outage` (see `outage_record`)."""
    margin = datetime.timedelta(hours=settings.TENDER_OUTAGE_MARGIN_HOURS)
    return max(deadline + (outage.ends_at - outage.starts_at) + margin, now + margin)


# Any constant: the key of the transaction-level advisory lock that outage records take.
OUTAGE_LOCK_KEY = 7_411_203


def _serialise_outage_records() -> None:
    """One outage record at a time, so the overlap check sees every earlier window.

    Row locks cannot guard rows that do not exist yet; PostgreSQL's advisory
    lock, released at commit, does. SQLite serialises writers by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [OUTAGE_LOCK_KEY])


# An outage amendment's texts are stored once, in the platform's default language.
OUTAGE_SUMMARY = gettext_lazy("Submission deadline extended after a platform outage")


OUTAGE_NOTICE = gettext_lazy(
    "The platform was unavailable from %(start)s to %(end)s (UTC). The submission deadline "
    "moves from %(old)s to %(new)s (UTC) under the outage rule."
)


def _platform_text(message, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def _extend_after_outage(tender: Tender, *, outage: Outage, actor, now) -> Amendment:
    old_deadline, old_opening = tender.submission_deadline, tender.opening_at
    new_deadline = outage_extension(deadline=old_deadline, outage=outage, now=now)
    shift = new_deadline - old_deadline
    if tender.state == TenderState.CLOSED:
        run_tender_transition(
            tender,
            tender.reopen_after_outage,
            actor=actor,
            action="tender.reopened",
            reason=outage.reason,
            update_fields=["closed_at"],
            payload={"outage_id": outage.pk},
        )
    tender.submission_deadline = new_deadline
    diff = {"submission_deadline": {"from": jsonable(old_deadline), "to": jsonable(new_deadline)}}
    if old_opening is not None:
        tender.opening_at = old_opening + shift
        diff["opening_at"] = {"from": jsonable(old_opening), "to": jsonable(tender.opening_at)}
    tender.save(update_fields=[*diff, "updated_at"])
    summary = _platform_text(OUTAGE_SUMMARY)
    notice = _platform_text(
        OUTAGE_NOTICE,
        start=outage.starts_at.strftime("%Y-%m-%d %H:%M"),
        end=outage.ends_at.strftime("%Y-%m-%d %H:%M"),
        old=old_deadline.strftime("%Y-%m-%d %H:%M"),
        new=new_deadline.strftime("%Y-%m-%d %H:%M"),
    )
    amendment = Amendment.objects.create(
        tender=tender,
        number=next_amendment_number(tender),
        created_at=now,
        created_by=None,
        summary=summary,
        material=False,
        changes=diff,
        notice=notice,
        outage=outage,
    )
    ocds.release_record(tender=tender, tag=ocds.TAG_AMENDMENT, amendment=amendment)
    record(
        action="tender.amended",
        actor=actor,
        obj=tender,
        reason=summary,
        role=Role.PLATFORM_ADMIN,
        payload={
            "amendment_id": amendment.pk,
            "number": amendment.number,
            "material": False,
            "outage_id": outage.pk,
            "changes": diff,
        },
    )
    notify_tender(
        tender,
        event="extended_after_outage",
        recipients=[tender.created_by_id, *followers(tender)],
        number=amendment.number,
        deadline=tender.submission_deadline,
    )
    return amendment
