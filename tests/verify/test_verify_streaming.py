"""panjere-verify reads a JSON Lines export in constant memory, however long it is."""

import hashlib
import json
import time
import tracemalloc

import rfc8785

from panjere_verify import verify_trail
from tests.audit import merkle_reference as rfc

from . import factories

EVENTS = 200_000
MiB = 1024 * 1024


def _write_export(path, n):
    """Write events 1..n as JSON Lines; return their leaf hashes."""
    leaves, prev = [], factories.GENESIS_HASH
    with path.open("w", encoding="utf-8") as export:
        for seq in range(1, n + 1):
            body = factories.make_body(seq, prev)
            # These bodies (sorted ASCII names, no floats) are JCS as json.dumps writes
            # them, which is much faster than rfc8785; checked on the first hundred.
            canonical = json.dumps(
                body, ensure_ascii=False, sort_keys=True, separators=(",", ":")
            ).encode()
            if seq <= 100:
                assert canonical == rfc8785.dumps(body)
            digest = hashlib.sha256(bytes.fromhex(prev) + canonical).digest()
            prev = digest.hex()
            export.write(json.dumps({**body, "hash": prev}, ensure_ascii=False) + "\n")
            leaves.append(rfc.leaf(digest + canonical))
    return leaves


def test_a_long_export_is_verified_in_constant_memory(tmp_path, log):
    # given 200,000 events and checkpoints at 1,000, 131,072 and 200,000
    export = tmp_path / "export.jsonl"
    leaves = _write_export(export, EVENTS)
    checkpoints = [
        factories.checkpoint_of_root(size, rfc.mth(leaves[:size]), log.new_key)
        for size in (1_000, 2**17, EVENTS)
    ]
    del leaves

    # when the export is verified with its Python allocations traced
    tracemalloc.start()
    started = time.perf_counter()
    try:
        report = verify_trail(export, checkpoints, log.keys)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started

    # then it passes, and the peak stays far below what holding the export would take
    assert report.line == (
        f"OK: {EVENTS} events, hash chain intact, 3 signed checkpoints matched "
        "(sizes 1000, 131072, 200000)"
    )
    assert export.stat().st_size > 100 * MiB
    assert peak < 20 * MiB, f"peak {peak / MiB:.1f} MiB"
    print(f"{EVENTS} events verified in {elapsed:.1f} s, peak {peak / MiB:.2f} MiB")
