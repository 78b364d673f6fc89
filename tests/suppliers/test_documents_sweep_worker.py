"""The daily expiry job, run by a real Celery worker on Redis, against PostgreSQL, at a frozen time.

The task is sent through the broker (never run in-process); the worker runs
in a thread of this process with its own database connection and reads the
same frozen clock (`core.clock.frozen_at`), so "today" is the same for the
test and the job.
"""

import datetime

import pytest
from celery.result import EagerResult

from audit.models import Event
from core.clock import frozen_at
from core.models import OutboxMessage, OutboxStatus
from notifications.models import Notification
from suppliers import services
from suppliers.models import Supplier, SupplierDocument
from suppliers.selectors import supplier_eligibility
from suppliers.tasks import documents_sweep
from tests import celery_worker
from tests.celery_worker import finished_runs, tasks_through_broker, wait_for

from .factories import pdf, supplier_in_state

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

NOW = datetime.datetime(2027, 1, 1, 6, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2027, 1, 1)


@pytest.fixture
def worker(settings):
    """A Celery worker consuming from REDIS_URL; tasks are sent, not run in-process."""
    with tasks_through_broker(settings), celery_worker.worker():
        yield


@pytest.fixture
def finished_sweeps():
    """What each run of the sweep returned, as the worker finished it."""
    with finished_runs("suppliers.tasks.documents_sweep") as returned:
        yield returned


def _renew(supplier, admin, kind, *, expires_on):
    return services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind=kind,
        uploaded=pdf(f"{kind}-renewed.pdf"),
        issued_on=datetime.date(2026, 12, 1),
        expires_on=expires_on,
    )


def test_the_worker_warns_marks_expired_and_renewal_restores_eligibility(worker, finished_sweeps):
    with frozen_at(NOW):
        # given one supplier whose tax clearance expires in 19 days
        expiring, expiring_admin, _ = supplier_in_state("verified", registration_number="E1")
        soon = _renew(
            expiring, expiring_admin, "tax_clearance", expires_on=datetime.date(2027, 1, 20)
        )
        # and one whose social security clearance expired yesterday
        lapsed, lapsed_admin, _ = supplier_in_state("verified", registration_number="L1")
        _renew(lapsed, lapsed_admin, "social_security", expires_on=datetime.date(2026, 12, 31))
        # and nothing yet recorded by the job
        assert (
            not Event.objects.filter(action__startswith="supplier.document")
            .exclude(action="supplier.document_uploaded")
            .exists()
        )
        warnings_before = OutboxMessage.objects.filter(
            payload__kind="supplier.document_expiring"
        ).count()
        assert warnings_before == 0

        # when the daily task is sent to the worker through Redis
        result = documents_sweep.delay()
        assert not isinstance(result, EagerResult)

        # then the worker warns about the expiring document, once, with its outbox row
        assert wait_for(lambda: len(finished_sweeps) == 1)
        assert finished_sweeps == [{"warned": 1, "expired": 1, "debarments_ended": 0}]
        warned = Event.objects.get(action="supplier.document_expiry_warned")
        assert warned.object_id == str(expiring.pk)
        assert warned.actor is None
        assert warned.payload == {
            "document_id": soon.pk,
            "kind": "tax_clearance",
            "version": 2,
            "expires_on": "2027-01-20",
        }
        soon.refresh_from_db()
        assert soon.expiry_warned_on == TODAY
        message = OutboxMessage.objects.get(payload__kind="supplier.document_expiring")
        assert message.payload["recipients"] == [expiring_admin.pk]
        assert message.payload["params"] == {
            "name": "Alborz Road Builders Co.",
            "kind": "Tax clearance certificate",
            "date": "2027-01-20",
        }
        # and the worker delivers it too, through the outbox
        assert wait_for(
            lambda: Notification.objects.filter(
                recipient=expiring_admin, kind="supplier.document_expiring"
            ).exists()
        )
        assert wait_for(
            lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.PROCESSED
        )

        # and marks the supplier whose required document expired
        expired = Event.objects.get(action="supplier.documents_expired")
        assert expired.object_id == str(lapsed.pk)
        assert expired.payload == {"kinds": ["social_security"]}
        assert expired.reason == (
            "A required document has expired; the supplier may not bid until it is renewed."
        )
        lapsed = Supplier.objects.get(pk=lapsed.pk)
        assert lapsed.documents_expired_since == TODAY
        assert Supplier.objects.get(pk=expiring.pk).documents_expired_since is None
        assert OutboxMessage.objects.filter(payload__kind="supplier.documents_expired").count() == 1
        eligibility = supplier_eligibility(lapsed)
        assert eligibility.eligible is False
        assert [reason.code for reason in eligibility.reasons] == ["supplier.document_expired"]

        # when the supplier renews the document
        _renew(lapsed, lapsed_admin, "social_security", expires_on=datetime.date(2028, 1, 1))

        # then it may bid again, and that is on the record
        lapsed = Supplier.objects.get(pk=lapsed.pk)
        assert lapsed.documents_expired_since is None
        assert supplier_eligibility(lapsed).eligible is True
        renewed = Event.objects.get(action="supplier.documents_renewed")
        assert (renewed.object_id, renewed.actor_user) == (str(lapsed.pk), lapsed_admin)
        assert renewed.payload == {"expired_since": "2027-01-01"}

        # when the job runs again the same day, it changes nothing
        events = Event.objects.count()
        runs = len(finished_sweeps)
        documents_sweep.delay()
        assert wait_for(lambda: len(finished_sweeps) == runs + 1)
        assert finished_sweeps[-1] == {"warned": 0, "expired": 0, "debarments_ended": 0}
        assert Event.objects.count() == events
        assert SupplierDocument.objects.get(pk=soon.pk).expiry_warned_on == TODAY
