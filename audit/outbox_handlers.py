"""Outbox handlers of the audit trail: checkpoints asked for by a milestone.

A service that reaches a milestone (a tender's deadline, an opening, an
award) enqueues `CHECKPOINT_TOPIC` in its own transaction, so that once it
commits a checkpoint covering its events is signed; `checkpoint_take` signs
the committed tree, so the checkpoint covers the milestone's event.
"""

from .services import checkpoint_take


def take_checkpoint(message) -> None:
    """The handler of `audit.services.CHECKPOINT_TOPIC` (settings.OUTBOX_HANDLERS)."""
    checkpoint_take()
