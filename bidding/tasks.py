"""Celery tasks of the bidding app: thin wrappers over services."""

from celery import shared_task

from .services import envelopes_sweep_orphans


@shared_task(name="bidding.tasks.orphan_envelopes_sweep")
def orphan_envelopes_sweep() -> int:
    """Remove stored envelopes that no committed bid references (beat, every 15 minutes)."""
    return len(envelopes_sweep_orphans())
