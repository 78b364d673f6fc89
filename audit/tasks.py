from celery import shared_task

from . import services


@shared_task(name="audit.tasks.checkpoint")
def checkpoint():
    """Every AUDIT_CHECKPOINT_SECONDS: sign the tree when it grew since the last checkpoint."""
    checkpoint = services.checkpoint_take()
    return None if checkpoint is None else checkpoint.size
