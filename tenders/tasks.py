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
