"""Inclusion and consistency proofs served from the stored tree, checked by two verifiers."""

import pytest
from django.urls import reverse

import panjere_verify
from accounts.models import Role
from audit import merkle, proofs
from audit.services import checkpoint_take, record
from audit.verification import CheckpointCopy
from core.models import OutboxMessage
from tests.factories import login, make_member

from .factories import expected_body, expected_leaf, make_events

pytestmark = pytest.mark.django_db

LOG = "127.0.0.1:8000/audit"


def _naive_root(leaves):
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << (len(leaves) - 1).bit_length() - 1
    return merkle.node_hash(_naive_root(leaves[:k]), _naive_root(leaves[k:]))


def test_the_stored_tree_serves_every_proof_of_a_trail_of_70_events():
    # given seventy events: stored subtrees of 16, 32 and 64 leaves, the rest recomputed
    events = make_events(70)
    leaves = [expected_leaf(expected_body(event), event.hash) for event in events]

    for size in (1, 15, 16, 17, 31, 32, 33, 47, 64, 65, 70):
        root = proofs.root_at(size)
        # then the root at every size is RFC 9162's MTH of the first `size` leaves
        assert root == _naive_root(leaves[:size])
        for seq in range(1, size + 1):
            proof = proofs.inclusion_proof(seq=seq, size=size)
            path = [bytes.fromhex(node) for node in proof["path"]]
            assert proof["leaf_hash"] == leaves[seq - 1].hex()
            assert merkle.verify_inclusion(leaves[seq - 1], seq - 1, size, path, root)
        for first in range(1, size + 1):
            proof = proofs.consistency_proof(first=first, second=size)
            path = [bytes.fromhex(node) for node in proof["path"]]
            old = _naive_root(leaves[:first])
            assert merkle.verify_consistency(first, size, old, root, path)


@pytest.mark.parametrize(
    "query",
    [
        {"seq": 0},
        {"seq": 3, "tree_size": 2},
        {"seq": 3, "tree_size": 99},
        {"seq": "x"},
        {},
    ],
    ids=["seq-zero", "seq-beyond-size", "size-beyond-trail", "not-a-number", "nothing"],
)
def test_an_impossible_inclusion_proof_is_a_clear_400(client, query):
    make_events(5)
    checkpoint_take()

    response = client.get(reverse("audit-inclusion-proof"), query)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert OutboxMessage.objects.count() == 0


def test_an_impossible_consistency_proof_is_a_clear_400(client):
    make_events(5)

    response = client.get(reverse("audit-consistency-proof"), {"first": 4, "second": 3})

    assert response.status_code == 400
    assert response.json()["code"] == "audit.proof_unavailable"


def test_a_supplier_checks_its_own_event_is_on_the_signed_record(client):
    # given a supplier's action on the record, more events after it, and a signed checkpoint
    supplier = make_member(Role.SUPPLIER_ADMIN)
    make_events(9)
    own = record(action="bid.submitted", actor=supplier, payload={"envelopes": 2})
    make_events(20)
    checkpoint = CheckpointCopy.from_model(checkpoint_take()).as_json()

    # when its client asks for its event, the inclusion proof, the checkpoint and the keys
    login(client, supplier)
    event = client.get(reverse("audit-event-detail", kwargs={"seq": own.seq})).json()
    proof = client.get(reverse("audit-inclusion-proof"), {"seq": own.seq}).json()
    keys = client.get(reverse("audit-keys")).json()

    # then the proof is against the latest checkpoint, and the independent verifier agrees
    assert proof["checkpoint"] == checkpoint
    assert (proof["log"], proof["tree_size"], proof["seq"]) == (LOG, 30, 10)
    served = {key: proof[key] for key in ("log", "seq", "leaf_index", "tree_size", "leaf_hash")}
    report = panjere_verify.verify_inclusion_proof(
        {**served, "path": proof["path"]}, checkpoint, keys, event=event
    )
    assert report.ok, report.line
    # and a forged event does not pass for it
    forged = {**event, "payload": {"envelopes": 3}}
    assert not panjere_verify.verify_inclusion_proof(
        {**served, "path": proof["path"]}, checkpoint, keys, event=forged
    ).ok


def test_someone_else_cannot_read_an_event_but_an_auditor_can(client):
    supplier = make_member(Role.SUPPLIER_ADMIN)
    other = make_member(Role.SUPPLIER_ADMIN)
    own = record(action="bid.submitted", actor=supplier)
    url = reverse("audit-event-detail", kwargs={"seq": own.seq})

    anonymous = client.get(url)
    login(client, other)
    refused = client.get(url)
    login(client, make_member(Role.AUDITOR))
    allowed = client.get(url)

    assert anonymous.status_code == 401
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert allowed.status_code == 200
    assert allowed.json()["hash"] == own.hash


def test_consistency_between_two_signed_checkpoints_verifies(client):
    make_events(13)
    old = CheckpointCopy.from_model(checkpoint_take()).as_json()
    make_events(50)
    new = CheckpointCopy.from_model(checkpoint_take()).as_json()

    proof = client.get(reverse("audit-consistency-proof"), {"first": 13, "second": 63}).json()
    keys = client.get(reverse("audit-keys")).json()

    assert panjere_verify.verify_consistency_proof(proof, old, new, keys).ok
    # and a proof with one node changed does not
    forged = {**proof, "path": [proof["path"][0][::-1], *proof["path"][1:]]}
    assert not panjere_verify.verify_consistency_proof(forged, old, new, keys).ok
