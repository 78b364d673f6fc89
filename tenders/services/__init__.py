"""Every write the tenders app offers: one function per use case, one module per kind of use.

Each entry service runs in one transaction: lock the tender row (and, when
several, in primary-key order: `tenders.lock_objects`), check the actor's
permission, check the state, validate, change, save the changed fields, record
the audit event and write the outbox rows for notifications, which leave after
commit. "Now" is always the database clock (`core.clock.db_now`).

    drafting        tender_create, tender_update, lot_*, item_*
    documents       tender_document_upload
    invitations     tender_invite, tender_uninvite (restricted tenders)
    approval        tender_submit_for_approval, tender_return_to_draft,
                    tender_approve_and_publish (and what publication causes)
    clarifications  clarification_ask, clarification_answer
    amendments      tender_amend
    outages         outage_record
    lifecycle       tender_cancel, tender_declare_unsuccessful, tender_close,
                    tender_close_due
    member_keys     member_key_create, member_key_rewrap, member_key_rotate
    following       tender_follow, tender_unfollow, tender_send_deadline_reminders

The public services are re-exported here: `from tenders import services;
services.tender_create(...)`.
"""

from .amendments import tender_amend
from .approval import tender_approve_and_publish, tender_return_to_draft, tender_submit_for_approval
from .clarifications import clarification_answer, clarification_ask
from .documents import tender_document_upload
from .drafting import (
    item_add,
    item_remove,
    item_update,
    lot_add,
    lot_remove,
    lot_update,
    tender_create,
    tender_update,
)
from .following import tender_follow, tender_send_deadline_reminders, tender_unfollow
from .invitations import tender_invite, tender_uninvite
from .lifecycle import tender_cancel, tender_close, tender_close_due, tender_declare_unsuccessful
from .member_keys import member_key_create, member_key_rewrap, member_key_rotate
from .outages import outage_extension, outage_record

__all__ = [
    "clarification_answer",
    "clarification_ask",
    "item_add",
    "item_remove",
    "item_update",
    "lot_add",
    "lot_remove",
    "lot_update",
    "member_key_create",
    "member_key_rewrap",
    "member_key_rotate",
    "outage_extension",
    "outage_record",
    "tender_amend",
    "tender_approve_and_publish",
    "tender_cancel",
    "tender_close",
    "tender_close_due",
    "tender_create",
    "tender_declare_unsuccessful",
    "tender_document_upload",
    "tender_follow",
    "tender_invite",
    "tender_return_to_draft",
    "tender_send_deadline_reminders",
    "tender_submit_for_approval",
    "tender_unfollow",
    "tender_uninvite",
    "tender_update",
]
