from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    name="tenders.tasks.close_due",
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=2,
)
def close_due() -> int:
    """Every 30 seconds (beat): close the tenders whose submission deadline has passed.

    Idempotent and stateless, so a worker restart loses nothing: the next run
    closes whatever is still due.
    """
    return services.tender_close_due()


@shared_task(
    name="tenders.tasks.send_deadline_reminders",
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=2,
)
def send_deadline_reminders() -> int:
    """Every 5 minutes (beat): remind followers 24 h and 1 h before each deadline. Idempotent."""
    return services.tender_send_deadline_reminders()
