"""panjere-verify trail: a good export passes; each kind of tampering is named where it starts."""

import json

import pytest

from panjere_verify import KeySet, Report, UnusableInput, verify_trail

from . import factories

GOOD_LINE = "OK: 10 events, hash chain intact, 2 signed checkpoints matched (sizes 6, 10)"


def _export(log, records, name="export.jsonl"):
    return factories.write_jsonl(log.dir / name, records)


def _trail(cli, log, export, *checkpoints):
    files = checkpoints or (log.early_file, log.latest_file)
    options = [arg for file in files for arg in ("--checkpoint", file)]
    return cli("trail", export, *options, "--keys", log.keys_file)


def test_a_good_export_passes_through_the_command(cli, log):
    status, out, err = _trail(cli, log, _export(log, log.records))

    assert (status, out, err) == (0, GOOD_LINE + "\n", "")


def test_a_good_export_passes_through_the_api(log):
    # given the export as a file, as JSON Lines in memory, and as parsed records
    path = _export(log, log.records)
    # Split on newlines only: records hold U+2028, which str.splitlines() also splits on.
    lines = path.read_text().split("\n")

    for source in (path, str(path), lines, [line.encode() for line in lines], log.records):
        # when it is verified
        report = verify_trail(source, [log.early, log.latest_file], log.keys)

        # then it passes, and the report is true
        assert report == Report(True, GOOD_LINE.removeprefix("OK: "), events=10)
        assert report
        assert report.line == GOOD_LINE


def test_the_older_json_array_export_passes(cli, log):
    export = factories.write_json(log.dir / "export.json", log.records)

    assert _trail(cli, log, export) == (0, GOOD_LINE + "\n", "")


def test_events_beyond_the_last_checkpoint_are_fine_and_said(cli, log):
    status, out, _ = _trail(cli, log, _export(log, log.records), log.early_file)

    assert status == 0
    assert out == (
        "OK: 10 events, hash chain intact, 1 signed checkpoint matched (size 6); "
        "events 7..10 are not covered by a checkpoint yet\n"
    )


def _altered(records):
    records[4] = {**records[4], "object_repr": "Road 5 (amended)"}
    return records


def _altered_and_rehashed(records):
    records[4] = factories.rehash({**records[4], "payload": {"lots": 9}})
    return records


def _swapped(records):
    records[4], records[5] = records[5], records[4]
    return records


def _forged_inserted(records):
    forged = factories.make_record(8, records[6]["hash"], action="bid.withdrawn")
    return [*records[:7], forged, *records[7:]]


def _forged_inserted_at_a_checkpoint(records):
    forged = factories.make_record(6, records[4]["hash"], action="bid.withdrawn")
    return [*records[:5], forged, *records[5:]]


def _repeated(records):
    return [*records[:5], records[4], *records[5:]]


def _rewritten_from_the_middle(records):
    records[3] = {**records[3], "payload": {"lots": 0, "title": "Road 4, rewritten"}}
    return factories.relink(records)


def _moved_later(records):
    return [*records[:4], *records[5:8], records[4], *records[8:]]


TAMPERING = [
    pytest.param(
        _altered,
        "FAILED at sequence 5: altered: the event's content does not match its hash",
        id="a field of event 5 altered",
    ),
    pytest.param(
        _altered_and_rehashed,
        "FAILED at sequence 6: relinked: its prev_hash is not the hash of event 5: "
        "an event before it was changed, removed or reordered",
        id="event 5 altered and its hash recomputed",
    ),
    pytest.param(
        lambda records: records[:4] + records[5:],
        "FAILED at sequence 5: missing: event 5 is not in the export (event 6 follows)",
        id="event 5 deleted",
    ),
    pytest.param(
        _swapped,
        "FAILED at sequence 5: out_of_order: event 6 comes where event 5 should be; "
        "event 5 comes later in the export",
        id="events 5 and 6 swapped",
    ),
    pytest.param(
        _moved_later,
        "FAILED at sequence 5: out_of_order: event 6 comes where event 5 should be; "
        "event 5 comes later in the export",
        id="event 5 moved after event 8",
    ),
    pytest.param(
        _forged_inserted,
        "FAILED at sequence 8: inserted: a second event numbered 8: "
        "an event was inserted or repeated",
        id="a forged event 8 inserted before the real one",
    ),
    pytest.param(
        # The forged event completes the first 6 before the real event 6 is read.
        _forged_inserted_at_a_checkpoint,
        "FAILED at sequence 6: root_mismatch: events 1..6 do not match the checkpoint of "
        "size 6: the first 6 events were rewritten since it was signed",
        id="a forged event 6 inserted where a checkpoint ends",
    ),
    pytest.param(
        _repeated,
        "FAILED at sequence 5: inserted: a second event numbered 5: "
        "an event was inserted or repeated",
        id="event 5 repeated",
    ),
    pytest.param(
        lambda records: records[:8],
        "FAILED at sequence 9: truncated: the export ends after event 8, "
        "but the checkpoint of size 10 covers events 1..10",
        id="truncated below the latest checkpoint",
    ),
    pytest.param(
        lambda records: records[:4],
        "FAILED at sequence 5: truncated: the export ends after event 4, "
        "but the checkpoint of size 6 covers events 1..6",
        id="truncated below both checkpoints",
    ),
    pytest.param(
        lambda records: [],
        "FAILED at sequence 1: truncated: the export ends after event 0, "
        "but the checkpoint of size 6 covers events 1..6",
        id="emptied",
    ),
    pytest.param(
        _rewritten_from_the_middle,
        "FAILED at sequence 6: root_mismatch: events 1..6 do not match the checkpoint of "
        "size 6: the first 6 events were rewritten since it was signed",
        id="rewritten from event 4 with every hash recomputed",
    ),
    pytest.param(
        lambda records: [{**records[0], "prev_hash": "1" * 64}, *records[1:]],
        "FAILED at sequence 1: relinked: its prev_hash is not the genesis hash (64 zeros): "
        "an event before it was changed, removed or reordered",
        id="the first event relinked",
    ),
]


@pytest.mark.parametrize(("tamper", "line"), TAMPERING)
def test_tampering_is_named_where_it_starts(cli, log, tamper, line):
    # given an export tampered with
    export = _export(log, tamper([dict(record) for record in log.records]))

    # when the command and the API check it
    status, out, err = _trail(cli, log, export)
    report = verify_trail(export, [log.early_file, log.latest_file], log.keys_file)

    # then both name the first inconsistency, its sequence number and its reason
    assert (status, out, err) == (1, line + "\n", "")
    assert not report
    assert report.line == line
    seq, code = line.removeprefix("FAILED at sequence ").split(": ")[:2]
    assert (report.seq, report.code) == (int(seq), code)


def test_a_rewrite_matches_a_checkpoint_signed_after_it_but_not_before(log):
    # given events 4..10 rewritten, and a checkpoint the rewriter signed afterwards
    rewritten = _rewritten_from_the_middle([dict(record) for record in log.records])
    after = factories.checkpoint(rewritten, 10, log.new_key)

    # then the chain alone looks intact, and only the earlier checkpoint tells
    assert verify_trail(rewritten, [after], log.keys)
    report = verify_trail(rewritten, [log.early, after], log.keys)
    assert (report.code, report.seq, report.events) == ("root_mismatch", 6, 6)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            "{not json",
            "line 5 is not JSON (Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1))",
        ),
        ('"a string"', "a record is a JSON object, not a string"),
        (
            '{"seq": 5}',
            "the record's fields are not the export's (missing 'action', 'actor', "
            "'hash', 'object_id', 'object_repr', 'object_type', 'organisation_id', 'payload', "
            "'prev_hash', 'reason', 'recorded_at', 'role')",
        ),
        ("NaN", "line 5 is not JSON (NaN is not a JSON number)"),
    ],
)
def test_a_malformed_line_is_named(cli, log, line, reason):
    lines = [json.dumps(record) for record in log.records]
    lines[4] = line

    status, out, _ = _trail(cli, log, factories.write_jsonl(log.dir / "export.jsonl", lines))

    assert (status, out) == (1, f"FAILED at sequence 5: malformed: {reason}\n")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"payload": {"amount": 1.5}},
            "the number 1.5 is not an integer: floats (and NaN, Infinity) are refused",
        ),
        (
            {"organisation_id": 2**53},
            "the integer 9007199254740992 is outside ±(2**53 - 1), which JSON numbers hold exactly",
        ),
        ({"seq": True}, "'seq' is a boolean, of the wrong type"),
        ({"seq": 0}, "'seq' is 0; sequence numbers start at 1"),
        ({"organisation_id": "41"}, "'organisation_id' is a string, of the wrong type"),
        (
            {"recorded_at": "2026-03-21 06:35:00Z"},
            "'recorded_at' is not YYYY-MM-DDTHH:MM:SS.ffffffZ",
        ),
        ({"hash": "A" * 64}, "'hash' is not 64 lowercase hexadecimal digits"),
        ({"extra": 1}, "the record's fields are not the export's (extra 'extra')"),
        ({"reason": "\ud800"}, "a string holds the lone surrogate U+D800, which has no UTF-8 form"),
    ],
)
def test_a_malformed_record_is_named(log, change, reason):
    records = [dict(record) for record in log.records]
    records[4] = {**records[4], **change}

    report = verify_trail(records, [log.early, log.latest], log.keys)

    assert report.line == f"FAILED at sequence 5: malformed: {reason}"


def test_a_repeated_name_in_a_record_is_malformed(log):
    lines = [json.dumps(record) for record in log.records]
    lines[4] = lines[4][:-1] + ', "action": "bid.withdrawn"}'

    report = verify_trail(lines, [log.early, log.latest], log.keys)

    assert report.line == (
        "FAILED at sequence 5: malformed: line 5 is not JSON "
        "(the name 'action' appears twice in one object)"
    )


def test_a_checkpoint_with_a_bad_signature_fails_before_the_export_is_read(cli, log):
    forged = {**log.latest, "root_hash": "ab" * 32}
    forged_file = factories.write_json(log.dir / "forged.json", forged)

    status, out, _ = _trail(cli, log, log.dir / "never-read.jsonl", log.early_file, forged_file)

    assert (status, out) == (
        1,
        "FAILED: bad_signature: the signature of the checkpoint of size 10 does not verify "
        f"with the key {log.new_key.key_id}\n",
    )


def test_a_checkpoint_by_an_unknown_key_fails(cli, log):
    stranger = factories.Signer()
    foreign = factories.write_json(
        log.dir / "foreign.json", factories.checkpoint(log.records, 10, stranger)
    )

    status, out, _ = _trail(cli, log, _export(log, log.records), foreign)

    assert (status, out) == (
        1,
        f"FAILED: unknown_key: the checkpoint of size 10 names the key {stranger.key_id}, "
        "which is not in the key set\n",
    )


def test_a_checkpoint_of_another_log_fails(log):
    other = factories.checkpoint(log.records, 10, log.new_key, log="another-log")

    report = verify_trail(log.records, [other], log.keys)

    assert report.line == (
        "FAILED: wrong_log: the checkpoint of size 10 is of the log 'another-log', "
        "the key set of the log 'panjere-audit'"
    )


def test_checkpoints_of_two_logs_fail_even_with_a_single_key(log):
    # given a key given on its own, which names no log
    single_key = KeySet.from_public_key(log.new_key.public_b64)
    other = factories.checkpoint(log.records, 8, log.new_key, log="another-log")

    report = verify_trail(log.records, [log.latest, other], single_key)

    assert report.line == (
        "FAILED: wrong_log: the checkpoint of size 10 is of the log 'panjere-audit', "
        "the checkpoint of size 8 of the log 'another-log'"
    )


def test_without_checkpoints_the_api_checks_the_chain_alone(log):
    assert verify_trail(log.records, [], log.keys).line == (
        "OK: 10 events, hash chain intact; no checkpoint given"
    )
    assert verify_trail([*log.records, 42], [], log.keys).line == (
        "FAILED at sequence 11: malformed: item 11 is neither a line of JSON nor a record"
    )


def test_two_checkpoints_of_one_size_must_both_match(log):
    # given a second checkpoint of size 10 over another history (a forked log)
    fork = factories.relink([{**log.records[0], "reason": "forked"}, *log.records[1:]])
    forked = factories.checkpoint(fork, 10, log.new_key)

    report = verify_trail(log.records, [log.latest, forked], log.keys)

    assert (report.code, report.seq) == ("root_mismatch", 10)


def test_unusable_inputs_exit_2_with_the_reason(cli, log):
    export = _export(log, log.records)
    missing = log.dir / "missing.json"
    not_json = log.dir / "not.json"
    not_json.write_text("{")

    assert _trail(cli, log, export, missing) == (
        2,
        "",
        f"panjere-verify: unusable input: {missing}: cannot read it: No such file or directory\n",
    )
    assert _trail(cli, log, export, not_json) == (
        2,
        "",
        f"panjere-verify: unusable input: {not_json}: not valid JSON (Expecting property name "
        "enclosed in double quotes: line 1 column 2 (char 1))\n",
    )
    assert _trail(cli, log, missing) == (
        2,
        "",
        f"panjere-verify: unusable input: {missing}: cannot read it: No such file or directory\n",
    )
    status, _, err = cli("trail", export, "--keys", log.keys_file)
    assert status == 2
    assert "the following arguments are required: --checkpoint" in err


def test_unusable_inputs_raise_through_the_api(log):
    incomplete = {key: value for key, value in log.latest.items() if key != "signature"}
    with pytest.raises(UnusableInput) as refused:
        verify_trail(log.records, [incomplete], log.keys)
    assert str(refused.value) == (
        "the checkpoint: not in the expected format (missing 'signature')"
    )
    with pytest.raises(UnusableInput) as refused:
        verify_trail(log.records, [{**log.latest, "size": "10"}], log.keys)
    assert str(refused.value) == "the checkpoint: 'size' has the wrong type"


def test_the_keys_may_come_from_stdin_or_as_one_base64_key(cli, log):
    export = _export(log, log.records)
    single = log.dir / "key.b64"
    single.write_text(log.new_key.public_b64 + "\n")

    by_stdin = cli(
        "trail",
        export,
        "--checkpoint",
        log.early_file,
        "--checkpoint",
        log.latest_file,
        "--keys",
        "-",
        stdin=json.dumps(log.keys),
    )
    by_single_key = cli("trail", export, "--checkpoint", log.latest_file, "--keys", single)

    assert by_stdin == (0, GOOD_LINE + "\n", "")
    assert by_single_key == (
        0,
        "OK: 10 events, hash chain intact, 1 signed checkpoint matched (size 10)\n",
        "",
    )
