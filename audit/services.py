"""Writing to the audit trail: `record` appends an event, `checkpoint_take` signs the tree.

`record` is the only way an event is made. It extends, in the caller's
transaction, both the hash chain and the Merkle tree over it: the chain head
row holds the last sequence number, the last hash and the tree's frontier (the
hashes of the perfect subtrees that make up the tree); the complete subtrees
of `MerkleNode.STORED_LEVEL` and above are stored as they close, so any proof
reads O(log n) rows.
"""

import json
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F

from core import signing
from core.clock import db_now
from core.outbox import enqueue

from . import merkle
from .chain import canonical_json, chain_hash, check_payload, event_body, format_time, leaf_input
from .exceptions import ChainHeadMissing, UnrecordablePayload
from .models import ChainHead, Checkpoint, Event, MerkleNode, Person

# The outbox topic a milestone enqueues to have a checkpoint signed after it commits.
CHECKPOINT_TOPIC = "audit.checkpoint"


def checkpoint_after_commit(*, reason: str) -> None:
    """Have a checkpoint signed once the caller's transaction commits (a milestone)."""
    enqueue(topic=CHECKPOINT_TOPIC, payload={"reason": reason})


def _object_reference(obj) -> tuple[str, str, str]:
    """The object's type, id and text. A model names itself without personal data
    through `audit_repr()` where its `str()` would show a person's name."""
    if obj is None:
        return "", "", ""
    meta = obj._meta
    text = obj.audit_repr() if hasattr(obj, "audit_repr") else str(obj)
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), text[:300]


def person_for(user) -> Person | None:
    """The pseudonym under which `user` appears on the trail (made on first use)."""
    if user is None:
        return None
    cached = getattr(user, "_audit_person", None)
    if cached is not None:
        return cached
    person = Person.objects.filter(user_id=user.pk).first()
    if person is None:
        person, _created = Person.objects.get_or_create(
            user_id=user.pk,
            defaults={"pseudonym": str(uuid.uuid4()), "name": user.name, "email": user.email},
        )
    elif not person.erased and (person.name, person.email) != (user.name, user.email):
        # The side table shows people as they are now; the chain never held their names.
        Person.objects.filter(pk=person.pk).update(name=user.name, email=user.email)
        person.name, person.email = user.name, user.email
    user._audit_person = person
    return person


def record(
    *,
    action: str,
    actor=None,
    obj=None,
    payload: dict | None = None,
    reason: str = "",
    organisation=None,
    role: str = "",
) -> Event:
    """Append one event to the chain and the tree, inside the caller's transaction.

    `actor` is a user or None for the platform itself; `organisation` and
    `role` say in which capacity the actor acted. `payload` must be JSON-able
    (dates and Decimals become strings), must hold no float, and never a
    secret, a passphrase, bid plaintext or personal data (`check_payload`
    refuses e-mail addresses and the keys that would hold them, before anything
    is written).

    Appends are serialised by the chain head row: reserving its next slot takes
    a row lock on PostgreSQL (the write lock on SQLite) held until the caller
    commits, so concurrent writers always extend one unbroken chain.
    """
    try:
        body_payload = json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))
    except TypeError as exc:
        raise UnrecordablePayload(
            f"The audit record cannot hold a value JSON cannot hold at payload ({exc}).",
            params={"path": "payload", "problem": "a value JSON cannot hold"},
        ) from exc
    check_payload(body_payload)
    object_type, object_id, object_repr = _object_reference(obj)
    person = person_for(actor)
    # No savepoint: if the append fails, the caller's transaction fails with it.
    with transaction.atomic(savepoint=False):
        last_seq, prev_hash, frontier = _lock_head()
        seq = last_seq + 1
        event = Event(
            seq=seq,
            recorded_at=db_now(),  # read after the lock: times follow the chain's order
            actor=person,
            organisation=organisation,
            role=str(role or ""),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            payload=body_payload,
            reason=reason or "",
            prev_hash=prev_hash,
        )
        canonical = canonical_json(event_body(event))
        event.hash = chain_hash(prev_hash, canonical)
        # On PostgreSQL the insert trigger checks the slot and the link, and moves the
        # head's sequence number and hash on in the same statement.
        event.save()
        frontier = _extend_tree(frontier, last_seq, leaf_input(event.hash, canonical))
        _move_head(seq=seq, hash=event.hash, frontier=frontier)
    return event


def _lock_head() -> tuple[int, str, list[bytes]]:
    """Lock the chain head until the caller commits; return its seq, hash and frontier.

    A missing head is refused, never silently recreated: a new genesis would
    hide every event before it.
    """
    if connection.vendor != "postgresql":
        # SQLite has no row locks: a write takes the database's write lock.
        ChainHead.objects.filter(pk=1).update(seq=F("seq"))
    head = ChainHead.objects.select_for_update().filter(pk=1).values_list("seq", "hash", "frontier")
    row = head.first()
    if row is None:
        raise ChainHeadMissing
    return row[0], row[1], merkle.frontier_unpack(bytes(row[2]))


def _extend_tree(frontier: list[bytes], size: int, leaf: bytes) -> bytes:
    """Append the leaf to the tree of `size` events; store the subtrees it completes.

    Returns the packed frontier of the tree of `size + 1` events.
    """
    frontier, closed = merkle.frontier_append(frontier, size, merkle.leaf_hash(leaf))
    stored = [
        MerkleNode(level=level, index=index, hash=node)
        for level, index, node in closed
        if level >= MerkleNode.STORED_LEVEL
    ]
    if stored:
        MerkleNode.objects.bulk_create(stored)
    return merkle.frontier_pack(frontier)


def _move_head(*, seq: int, hash: str, frontier: bytes) -> None:
    if connection.vendor == "postgresql":
        # The trigger moved seq and hash; the runtime role may write only the frontier.
        ChainHead.objects.filter(pk=1).update(frontier=frontier)
    else:
        ChainHead.objects.filter(pk=1).update(seq=seq, hash=hash, frontier=frontier)


def hold_chain() -> None:
    """Take the chain head's row lock now, in the caller's transaction, until it commits.

    `record` takes it anyway; a service that locks another row which every
    recording transaction may also lock takes this one first, so that the two
    are always taken in the same order (no deadlock), and that row's changes
    are serialised in the chain's (commit) order. SQLite serialises writers by
    itself.
    """
    ChainHead.objects.select_for_update().filter(pk=1).values_list("pk", flat=True).first()


def checkpoint_body(*, size: int, root_hash: str, recorded_at, key_id: str) -> dict:
    """What a checkpoint's signature covers (RFC 8785 canonical JSON of this)."""
    return {
        "log": settings.AUDIT_LOG_ID,
        "size": size,
        "root_hash": root_hash,
        "recorded_at": format_time(recorded_at),
        "key_id": key_id,
    }


def checkpoint_take() -> Checkpoint | None:
    """Sign the tree as it stands (committed); None while the trail is empty.

    Reads the head without locking it: the committed head always holds the
    frontier of its own size, so no append has to wait for a checkpoint. Two
    checkpoints of one size are one (the first stays).
    """
    head = ChainHead.objects.filter(pk=1).values("seq", "frontier").first()
    if head is None:
        raise ChainHeadMissing
    size = head["seq"]
    if size == 0:
        return None
    existing = Checkpoint.objects.filter(size=size).first()
    if existing is not None:
        return existing
    root = merkle.frontier_root(merkle.frontier_unpack(bytes(head["frontier"]))).hex()
    key = signing.current_key()
    now = db_now()
    body = checkpoint_body(size=size, root_hash=root, recorded_at=now, key_id=key.key_id)
    checkpoint = Checkpoint(
        size=size,
        root_hash=root,
        recorded_at=now,
        log=body["log"],
        key_id=key.key_id,
        signature=key.sign(canonical_json(body)),
    )
    Checkpoint.objects.bulk_create([checkpoint], ignore_conflicts=True)
    return Checkpoint.objects.get(size=size)


def person_erase(*, actor, person: Person, reason: str) -> Person:
    """Blank a person's name and e-mail address on the record (a lawful erasure request).

    The chain never held them, so no hash changes: `audit verify` still
    passes. The erasure is itself an event, naming the person by pseudonym only.
    """
    with transaction.atomic(durable=True):
        person = Person.objects.select_for_update().get(pk=person.pk)
        if not person.erased:
            person.name, person.email, person.erased_at = "", "", db_now()
            person.save(update_fields=["name", "email", "erased_at"])
            record(
                action="person.erased",
                actor=actor,
                obj=person,
                payload={"pseudonym": person.pseudonym},
                reason=reason,
            )
    return person
