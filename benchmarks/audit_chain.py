"""The audit trail's costs: appends with the Merkle tree, verification and proofs at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/panjere_bench_audit \
        .venv/bin/python benchmarks/audit_chain.py [--events 2000] [--writers 20] \
        [--large 1000000] [--proofs 1000]

Point DATABASE_URL at a scratch database, as its owner (or a superuser): it is
created if missing, migrated, and its audit tables are emptied. In one run it
measures, each against a baseline measured in the same run:

1. Appends per second with 1 and `--writers` concurrent writers: `record` as it
   is (chain and Merkle tree), the chain alone (the same `record` with the tree
   step replaced by a no-op), and a plain one-row insert of the same weight.
   Target: the tree costs under 20 % of the chain's rate.
2. A trail of `--large` events (written in bulk, as the owner, with the same
   hashing code as `record`), then `audit verify` and a checkpoint over it,
   each in a child process, against a child that streams the same rows with a
   bare server-side cursor and hashes each one. Targets: verify within 2x of
   the bare stream; memory flat (peak RSS under 200 MiB).
3. Inclusion proofs at that size: `--proofs` random events, wall time per proof
   (read, plan, fetch, compute) through `audit.proofs`. Target: p95 < 20 ms.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

PAYLOAD = {"from": "submitted", "to": "verified", "note": "benchmark " * 8}


def ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def run_threads(writers: int, per_writer: int, work) -> float:
    from django.db import connection

    barrier = threading.Barrier(writers + 1)
    errors = []

    def worker(index):
        try:
            barrier.wait()
            for n in range(per_writer):
                work(index, n)
        except Exception as exc:  # reported below; a benchmark must not hide failures
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def empty_trail() -> None:
    """As the owner: empty the audit tables and put the genesis head back."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE audit_event, audit_merklenode, audit_checkpoint, audit_chainhead, "
            "audit_person CASCADE"
        )
        cursor.execute(
            "INSERT INTO audit_chainhead (id, seq, hash, frontier) VALUES (1, 0, %s, '')",
            ["0" * 64],
        )


def measure_appends(events: int, writers_max: int) -> list[tuple]:
    from django.db import connection, transaction

    from audit import merkle, services
    from audit.services import record

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_plain "
            "(id bigserial PRIMARY KEY, action text, payload jsonb, at timestamptz)"
        )
        cursor.execute("TRUNCATE bench_plain")

    def plain(index, n):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_plain (action, payload, at) VALUES (%s, %s::jsonb, now())",
                ["bench.plain", json.dumps({**PAYLOAD, "writer": index, "n": n})],
            )

    def chained(index, n):
        with transaction.atomic():
            record(action="bench.chained", payload={**PAYLOAD, "writer": index, "n": n})

    with_tree = services._extend_tree

    def chain_alone(frontier, size, leaf):
        return merkle.frontier_pack(frontier)

    rows = []
    for writers in (1, writers_max):
        per_writer = max(1, events // writers)
        total = per_writer * writers
        base = run_threads(writers, per_writer, plain)
        empty_trail()
        services._extend_tree = chain_alone
        try:
            chain = run_threads(writers, per_writer, chained)
        finally:
            services._extend_tree = with_tree
        empty_trail()
        tree = run_threads(writers, per_writer, chained)
        rows.append((writers, total, total / base, total / chain, total / tree))
    return rows


def load_large(size: int) -> None:
    """Write `size` events as the owner, in bulk, with the hashing code `record` uses."""
    from django.db import connection

    from audit import merkle
    from audit.chain import canonical_json, chain_hash, format_time, leaf_input
    from audit.models import GENESIS_HASH, MerkleNode

    empty_trail()
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    prev, frontier = GENESIS_HASH, []
    raw = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE audit_merklenode DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE audit_chainhead DISABLE TRIGGER USER")
    with raw.cursor() as cursor:
        nodes = []
        with cursor.copy(
            "COPY audit_event (seq, recorded_at, role, action, object_type, object_id, "
            "object_repr, payload, reason, prev_hash, hash) FROM STDIN"
        ) as copy:
            for seq in range(1, size + 1):
                moment = start + datetime.timedelta(milliseconds=seq)
                payload = {**PAYLOAD, "n": seq}
                body = {
                    "seq": seq,
                    "recorded_at": format_time(moment),
                    "actor": None,
                    "organisation_id": None,
                    "role": "",
                    "action": "bench.loaded",
                    "object_type": "bench.thing",
                    "object_id": str(seq % 997),
                    "object_repr": f"Thing {seq % 997}",
                    "payload": payload,
                    "reason": "",
                    "prev_hash": prev,
                }
                canonical = canonical_json(body)
                digest = chain_hash(prev, canonical)
                copy.write_row(
                    (
                        seq,
                        moment,
                        "",
                        "bench.loaded",
                        "bench.thing",
                        body["object_id"],
                        body["object_repr"],
                        json.dumps(payload),
                        "",
                        prev,
                        digest,
                    )
                )
                leaf = merkle.leaf_hash(leaf_input(digest, canonical))
                frontier, closed = merkle.frontier_append(frontier, seq - 1, leaf)
                nodes += [c for c in closed if c[0] >= MerkleNode.STORED_LEVEL]
                prev = digest
        with cursor.copy("COPY audit_merklenode (level, index, hash) FROM STDIN") as copy:
            for node in nodes:
                copy.write_row(node)
        cursor.execute(
            "UPDATE audit_chainhead SET seq = %s, hash = %s, frontier = %s WHERE id = 1",
            [size, prev, merkle.frontier_pack(frontier)],
        )
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE audit_merklenode ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE audit_chainhead ENABLE TRIGGER USER")
        cursor.execute("ANALYZE audit_event")
        cursor.execute("ANALYZE audit_merklenode")


CHILD = """
import os, sys, time, resource, hashlib
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
import django
django.setup()
started = time.perf_counter()
what = {what!r}
if what == "bare":
    from django.db import connection, transaction
    count = 0
    connection.ensure_connection()
    with transaction.atomic(), connection.connection.cursor(name="bare") as cursor:
        cursor.itersize = 2000
        cursor.execute(
            "SELECT seq, recorded_at, actor_id, organisation_id, role, action, object_type, "
            "object_id, object_repr, payload::text, reason, prev_hash, hash "
            "FROM audit_event ORDER BY seq"
        )
        for row in cursor:
            hashlib.sha256(repr(row).encode()).digest()
            count += 1
    result = count
elif what == "verify":
    from audit.verification import verify_chain
    report = verify_chain()
    assert report.intact, report
    result = report.count
else:
    from audit.services import checkpoint_take
    result = checkpoint_take().size
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{result}} {{elapsed:.3f}} {{peak:.1f}}")
"""


def child(what: str) -> tuple[int, float, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), what=what)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    ).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def measure_proofs(size: int, count: int) -> list[float]:
    from audit.proofs import inclusion_proof

    rng = random.Random(9162)
    timings = []
    for _ in range(count):
        seq = rng.randint(1, size)
        started = time.perf_counter()
        inclusion_proof(seq=seq, size=size)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="events per append measurement")
    parser.add_argument("--writers", type=int, default=20, help="concurrent writer threads")
    parser.add_argument("--large", type=int, default=1_000_000, help="events for verify/proofs")
    parser.add_argument("--proofs", type=int, default=1000, help="inclusion proofs measured")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database, as its owner (it is emptied).")
    os.environ["DATABASE_MIGRATE_URL"] = url
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} cores")

    rows = measure_appends(args.events, args.writers)
    print("\n1. Appends per second")
    header = ("writers", "events", "plain/s", "chain/s", "chain+tree/s", "tree cost", "vs plain")
    print("{:>8} {:>7} {:>9} {:>9} {:>13} {:>10} {:>9}".format(*header))
    for writers, total, plain, chain, tree in rows:
        print(
            f"{writers:>8} {total:>7} {plain:>9.0f} {chain:>9.0f} {tree:>13.0f} "
            f"{(1 - tree / chain) * 100:>9.1f}% {plain / tree:>8.2f}x"
        )

    started = time.perf_counter()
    load_large(args.large)
    print(f"\n2. A trail of {args.large} events (loaded in {time.perf_counter() - started:.0f} s)")
    bare_count, bare_time, bare_peak = child("bare")
    verify_count, verify_time, verify_peak = child("verify")
    size, checkpoint_time, checkpoint_peak = child("checkpoint")
    assert bare_count == verify_count == size == args.large
    print(f"{'':>24} {'seconds':>9} {'events/s':>10} {'peak RSS MiB':>13} {'vs bare':>8}")
    for name, seconds, peak in (
        ("bare stream + SHA-256", bare_time, bare_peak),
        ("audit verify", verify_time, verify_peak),
        ("checkpoint", checkpoint_time, checkpoint_peak),
    ):
        print(
            f"{name:>24} {seconds:>9.2f} {args.large / seconds:>10.0f} {peak:>13.1f} "
            f"{seconds / bare_time:>7.2f}x"
        )

    timings = measure_proofs(args.large, args.proofs)
    quantiles = statistics.quantiles(timings, n=100)
    print(
        f"\n3. Inclusion proofs in a tree of {args.large}: {args.proofs} random events, "
        f"p50 {quantiles[49]:.2f} ms, p95 {quantiles[94]:.2f} ms, max {max(timings):.2f} ms"
    )


if __name__ == "__main__":
    main()
