"""Opening keys: a committee member registers, re-wraps and rotates the key made on their device.

The member's browser (`PanjereSealing.createMemberKey`) or CLI (`panjere key
create`) makes the X25519 key pair and encrypts the private key under the
member's passphrase; these services receive only the resulting key file
(`panjere_client.member_keys.MemberKeyFile`), check its format, and keep it
so the member can download it again to unlock their shares at an opening.
The server never sees the passphrase or the private key. Audit payloads hold
fingerprints only.
"""

from django.db import IntegrityError, transaction

from accounts.models import Role
from accounts.permissions import Perm, has_perm
from audit.services import record
from core.clock import db_now
from panjere_client.member_keys import MalformedKeyFile, MemberKeyFile

from ..exceptions import (
    MalformedMemberKey,
    MemberKeyDiffers,
    MemberKeyExists,
    MemberKeyInUse,
    MemberKeyReused,
    NoMemberKey,
)
from ..lock_objects import current_member_key_for_update
from ..models import KeyShare, MemberKey, TenderState
from .steps import require

# A tender in these states may still be opened: the shares sealed to a key are needed.
UNOPENED_STATES = (TenderState.PUBLISHED, TenderState.CLOSED)


# The audit actions of an opening key (constants, so the action registry finds them).
CREATED_ACTION = "member_key.created"
REWRAPPED_ACTION = "member_key.rewrapped"
ROTATED_ACTION = "member_key.rotated"


def parse_key_file(text) -> MemberKeyFile:
    """The key file in `text` (str or bytes), or MalformedMemberKey saying why."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedMemberKey(field="key_file") from None
    if not isinstance(text, str) or len(text) > 4096:
        raise MalformedMemberKey(field="key_file")
    try:
        return MemberKeyFile.loads(text)
    except MalformedKeyFile as error:
        raise MalformedMemberKey(
            MalformedMemberKey.title + " " + str(error),
            field="key_file",
            params={"problem": str(error)},
        ) from None


def _store(actor, key_file: MemberKeyFile, now) -> MemberKey:
    if MemberKey.objects.filter(fingerprint=key_file.fingerprint).exists():
        raise MemberKeyReused(field="key_file")
    try:
        with transaction.atomic():
            return MemberKey.objects.create(
                user=actor,
                public_key=key_file.to_json()["public_key"],
                fingerprint=key_file.fingerprint,
                key_file=key_file.dumps(),
                created_at=now,
            )
    except IntegrityError:
        # Another request registered the same key, or a key for this member, at the same time.
        raise MemberKeyReused(field="key_file") from None


def _record(action: str, actor, key: MemberKey, **payload) -> None:
    record(
        action=action,
        actor=actor,
        obj=key,
        payload={"fingerprint": key.fingerprint, **payload},
        role=Role.COMMITTEE_MEMBER,
    )


def member_key_create(*, actor, key_file) -> MemberKey:
    """Register the member's first opening key (`key_file`: the file's text)."""
    parsed = parse_key_file(key_file)
    with transaction.atomic(durable=True):
        require(has_perm(actor, Perm.HOLD_OPENING_KEY))
        if current_member_key_for_update(actor) is not None:
            raise MemberKeyExists()
        key = _store(actor, parsed, db_now())
        _record(CREATED_ACTION, actor, key)
    return key


def member_key_rewrap(*, actor, key_file) -> MemberKey:
    """The same key pair under a new passphrase (re-encrypted on the device): a new key file."""
    parsed = parse_key_file(key_file)
    with transaction.atomic(durable=True):
        require(has_perm(actor, Perm.HOLD_OPENING_KEY))
        key = current_member_key_for_update(actor)
        if key is None:
            raise NoMemberKey()
        if parsed.fingerprint != key.fingerprint:
            raise MemberKeyDiffers(field="key_file")
        text = parsed.dumps()
        if text == key.key_file:
            return key
        key.key_file = text
        key.rewrapped_at = db_now()
        key.save(update_fields=["key_file", "rewrapped_at"])
        _record(REWRAPPED_ACTION, actor, key)
    return key


def member_key_rotate(*, actor, key_file) -> MemberKey:
    """A new key pair for the member; refused while a tender not yet opened uses the old one."""
    parsed = parse_key_file(key_file)
    with transaction.atomic(durable=True):
        require(has_perm(actor, Perm.HOLD_OPENING_KEY))
        old = current_member_key_for_update(actor)
        if old is None:
            raise NoMemberKey()
        if parsed.fingerprint == old.fingerprint:
            raise MemberKeyReused(field="key_file")
        in_use = sorted(
            set(
                KeyShare.objects.filter(
                    member_key=old, tender_key__tender__state__in=UNOPENED_STATES
                ).values_list("tender_key__tender__ocid", flat=True)
            )
        )
        if in_use:
            raise MemberKeyInUse(params={"tenders": in_use})
        now = db_now()
        old.retired_at = now
        old.save(update_fields=["retired_at"])
        key = _store(actor, parsed, now)
        _record(ROTATED_ACTION, actor, key, previous_fingerprint=old.fingerprint)
    return key
