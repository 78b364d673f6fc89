"""panjere-verify inclusion, consistency and checkpoint: proofs against signed checkpoints."""

import pytest

from panjere_verify import (
    UnusableInput,
    event_hash,
    event_leaf_hash,
    verify_checkpoint,
    verify_consistency_proof,
    verify_inclusion_proof,
)

from . import factories


@pytest.fixture
def proofs(log):
    """An inclusion proof of event 5 in the tree of 10, a consistency proof from 6 to 10."""
    inclusion = factories.inclusion_proof(log.records, 5, 10)
    consistency = factories.consistency_proof(log.records, 6, 10)
    log.inclusion, log.consistency = inclusion, consistency
    log.inclusion_file = factories.write_json(log.dir / "inclusion.json", inclusion)
    log.consistency_file = factories.write_json(log.dir / "consistency.json", consistency)
    log.event_file = factories.write_json(log.dir / "event-5.json", log.records[4])
    return log


def _included(cli, log, *extra, proof=None, checkpoint=None):
    return cli(
        "inclusion",
        proof or log.inclusion_file,
        "--checkpoint",
        checkpoint or log.latest_file,
        "--keys",
        log.keys_file,
        *extra,
    )


def test_event_hashes_are_the_formats(log):
    record = log.records[4]

    assert event_hash(record) == record["hash"]
    assert event_leaf_hash(record) == factories.leaf_hashes([record])[0].hex()


def test_an_event_in_the_log_is_proved_included(cli, proofs):
    without_event = _included(cli, proofs)
    with_event = _included(cli, proofs, "--event", proofs.event_file)

    key = proofs.new_key.key_id
    assert without_event == (
        0,
        f"OK: event 5 is in the log 'panjere-audit' of 10 events; checkpoint signed by the "
        f"current key {key}\n",
        "",
    )
    assert with_event == (
        0,
        f"OK: event 5 is in the log 'panjere-audit' of 10 events, its record checked; "
        f"checkpoint signed by the current key {key}\n",
        "",
    )
    assert verify_inclusion_proof(proofs.inclusion, proofs.latest, proofs.keys, proofs.records[4])


def test_every_event_of_every_checkpoint_is_proved_included(log):
    for size in range(1, 11):
        checkpoint = factories.checkpoint(log.records, size, log.new_key)
        for seq in range(1, size + 1):
            proof = factories.inclusion_proof(log.records, seq, size)

            report = verify_inclusion_proof(proof, checkpoint, log.keys, log.records[seq - 1])

            assert report, report.line


def test_a_proof_checked_against_the_wrong_checkpoint_fails(cli, proofs):
    # given the proof in the tree of 10, checked against the checkpoint of 6
    status, out, _ = _included(cli, proofs, checkpoint=proofs.early_file)

    assert (status, out) == (
        1,
        "FAILED: size_mismatch: the proof is for a tree of 10 events, "
        "the checkpoint of size 6 covers 6\n",
    )

    # and with its size edited to match, it leads to another root
    edited = factories.write_json(proofs.dir / "edited.json", {**proofs.inclusion, "tree_size": 6})
    status, out, _ = _included(cli, proofs, proof=edited, checkpoint=proofs.early_file)

    assert (status, out) == (
        1,
        "FAILED at sequence 5: not_included: the inclusion proof does not lead from the "
        "event's leaf to the root of the checkpoint of size 6\n",
    )


def test_an_event_that_is_not_the_proofs_leaf_fails(cli, proofs):
    other_event = factories.write_json(proofs.dir / "event-6.json", proofs.records[5])
    altered = factories.write_json(
        proofs.dir / "altered.json", {**proofs.records[4], "reason": "changed"}
    )
    rehashed = factories.write_json(
        proofs.dir / "rehashed.json", factories.rehash({**proofs.records[4], "reason": "changed"})
    )

    assert _included(cli, proofs, "--event", other_event)[:2] == (
        1,
        "FAILED at sequence 5: event_mismatch: the event given is event 6, not event 5\n",
    )
    assert _included(cli, proofs, "--event", altered)[:2] == (
        1,
        "FAILED at sequence 5: altered: the event's content does not match its hash\n",
    )
    assert _included(cli, proofs, "--event", rehashed)[:2] == (
        1,
        "FAILED at sequence 5: leaf_mismatch: the event's leaf hash is not the proof's leaf_hash\n",
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda proof: {**proof, "path": proof["path"][:-1]}, id="a node removed"),
        pytest.param(lambda proof: {**proof, "path": [*proof["path"], "0" * 64]}, id="one added"),
        pytest.param(lambda proof: {**proof, "path": proof["path"][::-1]}, id="reversed"),
        pytest.param(lambda proof: {**proof, "seq": 6, "leaf_index": 5}, id="another leaf"),
        pytest.param(lambda proof: {**proof, "leaf_hash": "ab" * 32}, id="another leaf hash"),
    ],
)
def test_a_tampered_inclusion_proof_fails(proofs, change):
    proof = change(dict(proofs.inclusion))

    report = verify_inclusion_proof(proof, proofs.latest, proofs.keys)

    assert report.code == "not_included"
    assert report.seq == proof["seq"]


def test_the_log_only_grew_between_two_checkpoints(cli, proofs):
    status, out, err = cli(
        "consistency",
        proofs.consistency_file,
        "--old",
        proofs.early_file,
        "--new",
        proofs.latest_file,
        "--keys",
        proofs.keys_file,
    )

    assert (status, out, err) == (
        0,
        "OK: the log 'panjere-audit' of 10 events extends its checkpoint of 6 events\n",
        "",
    )


def test_every_pair_of_checkpoints_is_proved_consistent(log):
    checkpoints = [factories.checkpoint(log.records, n, log.new_key) for n in range(11)]
    for second in range(11):
        for first in range(second + 1):
            proof = (
                factories.consistency_proof(log.records, first, second)
                if first
                else {"log": factories.LOG, "first": 0, "second": second, "path": []}
            )

            report = verify_consistency_proof(
                proof, checkpoints[first], checkpoints[second], log.keys
            )

            assert report, report.line


def test_a_rewritten_history_is_not_consistent(proofs):
    # given the checkpoint of 6 signed over a history that was later rewritten
    rewritten = factories.relink([{**proofs.records[2], "reason": "x"}, *proofs.records[3:]])
    rewritten = factories.relink([*proofs.records[:2], *rewritten])
    proof = factories.consistency_proof(rewritten, 6, 10)

    report = verify_consistency_proof(proof, proofs.early, proofs.latest, proofs.keys)

    assert report.line == (
        "FAILED: not_consistent: the proof does not show that the log of 10 events extends "
        "the log of 6 events"
    )


def test_a_consistency_proof_of_other_sizes_fails(proofs):
    report = verify_consistency_proof(proofs.consistency, proofs.latest, proofs.early, proofs.keys)

    assert report.line == (
        "FAILED: size_mismatch: the proof's first size is 6, but the old checkpoint's is 10"
    )


def test_a_checkpoint_is_verified(cli, log):
    status, out, err = cli("checkpoint", log.latest_file, "--keys", log.keys_file)

    assert (status, err) == (0, "")
    assert out == (
        f"OK: checkpoint of the log 'panjere-audit' at size 10, root {log.latest['root_hash']}, "
        f"recorded at {log.latest['recorded_at']}, signed by the current key "
        f"{log.new_key.key_id}\n"
    )


def test_a_retired_key_still_verifies_the_checkpoints_it_signed(cli, log):
    status, out, _ = cli("checkpoint", log.early_file, "--keys", log.keys_file)

    assert status == 0
    assert out.endswith(f"signed by the retired key {log.old_key.key_id}\n")


def test_a_checkpoint_whose_signature_does_not_verify_fails(cli, log):
    for change in (
        {"size": 11},
        {"root_hash": "00" * 32},
        {"recorded_at": "2030-01-01T00:00:00.000000Z"},
    ):
        forged = factories.write_json(log.dir / "forged.json", {**log.latest, **change})

        status, out, _ = cli("checkpoint", forged, "--keys", log.keys_file)

        size = change.get("size", 10)
        assert (status, out) == (
            1,
            f"FAILED: bad_signature: the signature of the checkpoint of size {size} does not "
            f"verify with the key {log.new_key.key_id}\n",
        )


def test_a_checkpoint_signed_by_another_key_fails(cli, log):
    stranger = factories.Signer()
    unsigned = {name: value for name, value in log.latest.items() if name != "signature"}
    impostor = factories.sign(unsigned, stranger)  # names the current key, signed by another
    unknown = factories.checkpoint(log.records, 10, stranger)

    assert not verify_checkpoint(impostor, log.keys)
    assert verify_checkpoint(impostor, log.keys).code == "bad_signature"
    assert verify_checkpoint(unknown, log.keys).line == (
        f"FAILED: unknown_key: the checkpoint of size 10 names the key {stranger.key_id}, "
        "which is not in the key set"
    )


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            {"log": "l", "keys": [{"key_id": "0" * 32}]},
            "the key set, key 1: not in the expected "
            "format (missing 'algorithm', 'public_key', 'status')",
        ),
        ("wrong key_id", "the key set, key 1: its key_id is not the one of its public key"),
        ("not base64", "the key set, key 1: not standard base64"),
        ("short key", "the key set, key 1: an Ed25519 public key is 32 bytes, not 16"),
        ("bad status", "the key set, key 1: the status is neither 'current' nor 'retired'"),
        ("twice", "the key set, key 2: the key {key_id} is listed twice"),
    ],
)
def test_an_unusable_key_set_is_refused(log, keys, message):
    entry = log.new_key.entry()
    broken = {
        "wrong key_id": factories.key_set({**entry, "key_id": "0" * 32}),
        "not base64": factories.key_set({**entry, "public_key": "not base64!"}),
        "short key": factories.key_set({**entry, "public_key": "AAAAAAAAAAAAAAAAAAAAAA=="}),
        "bad status": factories.key_set({**entry, "status": "revoked"}),
        "twice": factories.key_set(entry, entry),
    }
    keys = broken[keys] if isinstance(keys, str) else keys

    with pytest.raises(UnusableInput) as refused:
        verify_checkpoint(log.latest, keys)

    assert str(refused.value) == message.format(key_id=log.new_key.key_id)


def test_unusable_proofs_exit_2(cli, proofs):
    bad = factories.write_json(proofs.dir / "bad.json", {**proofs.inclusion, "path": ["xyz"]})
    listed = factories.write_json(proofs.dir / "list.json", [proofs.inclusion])

    assert _included(cli, proofs, proof=bad) == (
        2,
        "",
        f"panjere-verify: unusable input: {bad}: 'path' holds something other than 64 "
        "lowercase hex digits\n",
    )
    assert _included(cli, proofs, proof=listed) == (
        2,
        "",
        f"panjere-verify: unusable input: {listed}: expected a JSON object, found list\n",
    )
