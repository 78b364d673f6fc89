"""Tender keys at publication: made, split k of n, sealed to each member, the private key forgotten.

The reconstruction here is what the opening will do on the members' devices:
each of k members unlocks their own key file with their passphrase, opens
their sealed share, and the shares combine to the private key whose public key
is the one published. The server itself cannot do it: it never has a
passphrase.
"""

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from audit.models import Event
from core import secret_sharing
from core.models import OutboxMessage
from panjere_client import member_keys
from panjere_client.encoding import b64decode
from panjere_client.keys import fingerprint, public_bytes
from panjere_client.shares import ShareMismatch, open_share
from tenders import keys, selectors, services
from tenders.exceptions import MemberKeyMissing, OpeningCommitteeNotReady, TenderIncomplete
from tenders.models import KeyShare, MemberKey, Tender, TenderKey

from .factories import buyer_team, opening_key, tender_in_state

pytestmark = pytest.mark.django_db

PASSPHRASES = ("opener one passphrase", "opener two passphrase", "opener three passphrase")


def _team_with_real_keys():
    """A buyer team whose three openers registered key files made with their passphrases."""
    team = buyer_team(opening_keys=False)
    for member, passphrase in zip(team.opening, PASSPHRASES, strict=True):
        key_file, _private = member_keys.create(passphrase)
        services.member_key_create(actor=member, key_file=key_file.dumps())
    return team


def _unlock_share(member, passphrase, tender_key):
    """What a member's device does: download the key file, unlock it, open the share."""
    share = KeyShare.objects.get(tender_key=tender_key, member=member)
    key_file = member_keys.MemberKeyFile.loads(share.member_key.key_file)
    private_key = member_keys.unlock(key_file, passphrase)
    return open_share(
        share.sealed_share,
        private_key=private_key,
        context={
            "tender": tender_key.tender.ocid,
            "kind": tender_key.kind,
            "member": str(member.pk),
            "tender_key": tender_key.fingerprint,
        },
    )


def _public_key_of(secret: bytes) -> str:
    return fingerprint(public_bytes(X25519PrivateKey.from_private_bytes(secret).public_key()))


def test_k_members_rebuild_the_published_key_of_each_envelope():
    # given a two-envelope tender, k = 2 of 3, whose members made their keys with passphrases
    team = _team_with_real_keys()
    tender, team = tender_in_state(
        "published",
        team,
        envelope_scheme="two",
        evaluation_method="qcbs",
        evaluation_config={
            "criteria": [{"name": "Experience", "weight": "100"}],
            "technical_threshold": "70",
        },
    )

    # then one key per envelope kind, with one sealed share per member
    tender_keys = selectors.tender_sealing_keys(tender)
    assert [key.kind for key in tender_keys] == ["technical", "financial"]
    for tender_key in tender_keys:
        assert tender_key.threshold == 2
        assert tender_key.fingerprint == fingerprint(b64decode(tender_key.public_key))
        assert [share.member_id for share in tender_key.shares.order_by("pk")] == [
            member.pk for member in team.opening
        ]
        assert {len(b64decode(share.sealed_share)) for share in tender_key.shares.all()} == {81}

        # when members 1 and 3 unlock their shares on their devices and combine them
        shares = [
            _unlock_share(team.opening[0], PASSPHRASES[0], tender_key),
            _unlock_share(team.opening[2], PASSPHRASES[2], tender_key),
        ]

        # then the key rebuilt has the published public key
        assert _public_key_of(secret_sharing.combine(shares)) == tender_key.fingerprint
    assert tender_keys[0].fingerprint != tender_keys[1].fingerprint


def test_fewer_than_k_shares_a_wrong_passphrase_or_another_tender_s_share_do_not_rebuild_it():
    # given two published tenders of the same committee (k = 3 of 3 on the first)
    team = _team_with_real_keys()
    tender, team = tender_in_state("published", team, opening_threshold=3)
    other, _team = tender_in_state("published", team)
    [tender_key] = selectors.tender_sealing_keys(tender)
    [other_key] = selectors.tender_sealing_keys(other)
    one = _unlock_share(team.opening[0], PASSPHRASES[0], tender_key)
    two = _unlock_share(team.opening[1], PASSPHRASES[1], tender_key)

    # then two shares of three combine to a key that is not the tender's (the check catches it)
    assert _public_key_of(secret_sharing.combine([one, two])) != tender_key.fingerprint
    # and one share alone is refused outright
    with pytest.raises(secret_sharing.SecretSharingError, match="at least two shares"):
        secret_sharing.combine([one])

    # a wrong passphrase does not unlock the member's key file
    share = KeyShare.objects.get(tender_key=tender_key, member=team.opening[2])
    key_file = member_keys.MemberKeyFile.loads(share.member_key.key_file)
    with pytest.raises(member_keys.WrongPassphrase, match="does not unlock this key file"):
        member_keys.unlock(key_file, "not the passphrase at all")

    # a share of the other tender does not open as a share of this one
    other_share = KeyShare.objects.get(tender_key=other_key, member=team.opening[2])
    with pytest.raises(ShareMismatch, match="does not open with this key for this tender"):
        open_share(
            other_share.sealed_share,
            private_key=member_keys.unlock(key_file, PASSPHRASES[2]),
            context={
                "tender": tender.ocid,
                "kind": "single",
                "member": str(team.opening[2].pk),
                "tender_key": tender_key.fingerprint,
            },
        )


def _publish_refused(tender, team, error, match, nothing_written):
    with nothing_written(), pytest.raises(error, match=match) as raised:
        services.tender_approve_and_publish(actor=team.approver, tender=tender)
    assert Tender.objects.get(pk=tender.pk).state == "awaiting_approval"
    assert not TenderKey.objects.exists() and not KeyShare.objects.exists()
    assert not Event.objects.filter(action="tender.published").exists()
    assert not OutboxMessage.objects.filter(payload__kind="tender.published").exists()
    return raised.value


def test_publication_is_refused_while_a_member_has_no_opening_key(nothing_written):
    # given a tender awaiting approval whose second opener has no key
    team = buyer_team(opening_keys=False)
    opening_key(team.opening[0])
    opening_key(team.opening[2])
    tender, team = tender_in_state("awaiting_approval", team)

    # when the approver publishes it, then it is refused, naming the member, and nothing is kept
    error = _publish_refused(
        tender,
        team,
        MemberKeyMissing,
        "These opening committee members have no opening key yet: Opener 2.",
        nothing_written,
    )
    assert (error.code, error.status, error.params) == (
        "tender.member_key_missing",
        409,
        {"members": [team.opening[1].pk]},
    )


def test_a_retired_key_does_not_count(nothing_written):
    # given an opener whose only key was retired
    team = buyer_team()
    tender, team = tender_in_state("awaiting_approval", team)
    MemberKey.objects.filter(user=team.opening[0]).update(retired_at=tender.submitted_at)

    # then publication is refused
    error = _publish_refused(tender, team, MemberKeyMissing, "Opener 1", nothing_written)
    assert error.params == {"members": [team.opening[0].pk]}


def test_publication_is_refused_when_the_committee_is_smaller_than_k(nothing_written):
    # given a tender awaiting approval whose committee lost a member below k (3 of 2)
    tender, team = tender_in_state("awaiting_approval", opening_threshold=3)
    tender.committee_memberships.filter(user=team.opening[2]).delete()

    # then publication is refused (the readiness check sees it first)
    _publish_refused(
        tender,
        team,
        TenderIncomplete,
        r"The opening threshold \(3\) cannot exceed the number of opening committee members \(2\)",
        nothing_written,
    )
    # and the key generation, called on its own, refuses it too
    with nothing_written(), pytest.raises(OpeningCommitteeNotReady) as raised:
        keys.tender_keys_generate(tender=tender)
    assert (raised.value.code, str(raised.value), raised.value.params) == (
        "tender.opening_committee_not_ready",
        "The opening committee must have at least as many members (now 2) as the threshold k "
        "(now 3), and k must be at least 2.",
        {"n": 2, "k": 3},
    )


def test_the_keys_of_a_tender_are_checked_against_their_shares_before_the_key_is_forgotten(
    monkeypatch, nothing_written
):
    # given a split that goes wrong (a fault, not a user's error)
    tender, team = tender_in_state("awaiting_approval")
    real_split = secret_sharing.split

    def broken_split(secret, n, k):
        return real_split(bytes(32), n, k)

    monkeypatch.setattr(secret_sharing, "split", broken_split)

    # then publication fails and nothing of it is kept
    _publish_refused(
        tender, team, keys.KeyCheckFailed, "do not rebuild the tender key", nothing_written
    )


def test_the_private_key_is_in_no_row_written_at_publication(monkeypatch):
    # given a publication whose key generation we can watch
    tender, team = tender_in_state("awaiting_approval")
    made = []
    real_generate = X25519PrivateKey.generate

    def watched_generate():
        key = real_generate()
        made.append(key)
        return key

    monkeypatch.setattr(keys.X25519PrivateKey, "generate", watched_generate)

    # when it is published
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # then the private key's bytes (raw, base64 or hex) are in no tender key, share or event
    from panjere_client.encoding import b64encode
    from panjere_client.keys import private_bytes

    [private_key] = made
    raw = private_bytes(private_key)
    written = repr(
        [
            list(TenderKey.objects.values()),
            list(KeyShare.objects.values()),
            list(Event.objects.values("payload")),
            list(OutboxMessage.objects.values("payload")),
        ]
    )
    for spelling in (b64encode(raw), raw.hex(), repr(raw)):
        assert spelling not in written
