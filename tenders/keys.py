"""The tender's sealing keys, made at publication: the platform is the dealer.

`tender_keys_generate` makes one X25519 key pair per envelope kind the tender
uses (`single`, or `technical` and `financial`), splits each private key k of
n with Shamir's scheme over GF(2^8) (`core.secret_sharing`), seals share i to
opening committee member i's opening key with HPKE (`panjere_client.shares`,
whose `info` binds the tender, kind, member and both fingerprints), and stores
the public key (`TenderKey`) and the sealed shares (`KeyShare`). The private
key lives only in this function's locals: it is never saved, logged or put in
a task message, and its references are dropped before the function returns.

Before forgetting it, the function checks what it can: that k of the shares
(the first k, and the last k) combine to a private key whose public key is the
one to be published. After that the server cannot open any share; only k
members, each unlocking their own key file on their own device, can.
"""

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.utils.translation import gettext as _

from core import secret_sharing
from core.clock import db_now
from panjere_client.encoding import b64decode, b64encode
from panjere_client.keys import fingerprint, private_bytes, public_bytes
from panjere_client.shares import ShareContext, seal_share

from . import selectors
from .exceptions import MemberKeyMissing, OpeningCommitteeNotReady
from .lock_objects import current_member_keys_for_update
from .models import EnvelopeKind, EnvelopeScheme, KeyShare, TenderKey


class KeyCheckFailed(RuntimeError):
    """The shares did not give back the key just made: a fault, never a user's error."""


def envelope_kinds(tender) -> list[str]:
    """The envelope kinds a tender's bids have, each sealed to its own tender key."""
    if tender.envelope_scheme == EnvelopeScheme.TWO:
        return [EnvelopeKind.TECHNICAL.value, EnvelopeKind.FINANCIAL.value]
    return [EnvelopeKind.SINGLE.value]


def committee_readiness(tender) -> tuple[list, dict]:
    """The opening committee and each member's current key; refuse what cannot hold shares."""
    members = selectors.committee_members(tender)
    threshold = tender.opening_threshold
    if threshold is None or threshold < 2 or len(members) < threshold:
        raise OpeningCommitteeNotReady(
            _(
                "The opening committee must have at least as many members (now %(n)s) as the "
                "threshold k (now %(k)s), and k must be at least 2."
            )
            % {"n": len(members), "k": "—" if threshold is None else threshold},
            field="opening_threshold",
            params={"n": len(members), "k": threshold},
        )
    # Locked, in pk order: a member rotating their key at this moment waits for the publication.
    keys = {
        key.user_id: key for key in current_member_keys_for_update(member.pk for member in members)
    }
    missing = [member for member in members if member.pk not in keys]
    if missing:
        raise MemberKeyMissing(
            _("These opening committee members have no opening key yet: %(names)s.")
            % {"names": ", ".join(member.get_full_name() or str(member.pk) for member in missing)},
            field="opening_committee",
            params={"members": [member.pk for member in missing]},
        )
    return members, keys


def tender_keys_generate(*, tender, actor=None) -> list[TenderKey]:
    """Make, split, seal and store the tender's keys; return the public keys made.

    Runs inside the publishing transaction (the tender row locked): if anything
    here or after it fails, no key and no share is kept. `actor` is the approver
    publishing the tender; the keys are recorded by the `tender.published`
    event, whose payload carries their fingerprints.
    """
    members, keys = committee_readiness(tender)
    threshold = tender.opening_threshold
    now = db_now()
    made = []
    for kind in envelope_kinds(tender):
        public_key, shares = _split_new_key(len(members), threshold)
        tender_fingerprint = fingerprint(public_key)
        tender_key = TenderKey.objects.create(
            tender=tender,
            kind=kind,
            public_key=b64encode(public_key),
            fingerprint=tender_fingerprint,
            threshold=threshold,
            created_at=now,
        )
        KeyShare.objects.bulk_create(
            KeyShare(
                tender_key=tender_key,
                member=member,
                member_key=keys[member.pk],
                sealed_share=b64encode(
                    seal_share(
                        share,
                        member_public_key=b64decode(keys[member.pk].public_key, size=32),
                        context=ShareContext(
                            tender=tender.ocid,
                            kind=kind,
                            member=str(member.pk),
                            tender_key=tender_fingerprint,
                        ),
                    )
                ),
            )
            for member, share in zip(members, shares, strict=True)
        )
        del shares
        made.append(tender_key)
    return made


def _split_new_key(n: int, k: int) -> tuple[bytes, list[bytes]]:
    """A new key pair's public key and its private key's n shares; the private key forgotten."""
    private_key = X25519PrivateKey.generate()
    public_key = public_bytes(private_key.public_key())
    secret = private_bytes(private_key)
    shares = secret_sharing.split(secret, n, k)
    del private_key, secret
    for chosen in (shares[:k], shares[-k:]):
        if _public_key_of(secret_sharing.combine(chosen)) != public_key:
            raise KeyCheckFailed("the shares do not rebuild the tender key")
    return public_key, shares


def _public_key_of(secret: bytes) -> bytes:
    return public_bytes(X25519PrivateKey.from_private_bytes(secret).public_key())


def share_holder_fingerprints(tender_keys) -> list[str]:
    """The fingerprints of the opening keys the shares of `tender_keys` are sealed to, sorted."""
    return sorted(
        set(
            KeyShare.objects.filter(tender_key__in=tender_keys).values_list(
                "member_key__fingerprint", flat=True
            )
        )
    )


def published_key_documents(tender) -> list[dict]:
    """The notice's key documents, `{"tender", "kind", "public_key", "fingerprint"}` each.

    What `panjere seal --tender-key` reads (docs/sealing.md).
    """
    return [
        {
            "tender": tender.ocid,
            "kind": key.kind,
            "public_key": key.public_key,
            "fingerprint": key.fingerprint,
        }
        for key in selectors.tender_sealing_keys(tender)
    ]
