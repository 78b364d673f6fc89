from celery import shared_task

from . import services


@shared_task(name="suppliers.tasks.documents_sweep")
def documents_sweep():
    """Daily: expiry warnings, lapsed required documents, debarments that end."""
    return services.supplier_documents_sweep()
