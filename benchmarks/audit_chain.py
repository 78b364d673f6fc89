"""How fast the audit chain appends and verifies, against a plain insert on the same database.

Every state change appends one event to a single hash chain, and appends are
serialised by the chain head's row lock; this measures what that costs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/panjere_bench \
        .venv/bin/python benchmarks/audit_chain.py [--events 2000] [--writers 20]

The database named in DATABASE_URL is created if missing, migrated, and its
audit tables are emptied first: point it at a scratch database. In the same
run it measures the baseline: the same number of one-row transactions into
an unchained table with the same columns' weight (a JSON payload), with the
same number of writer threads. It prints events per second for both, their
ratio, and the verification speed of `audit verify`.
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="events per measurement")
    parser.add_argument("--writers", type=int, default=20, help="concurrent writer threads")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (it is emptied).")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from audit.services import record
    from audit.verification import verify_chain

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SET panjere.audit_maintenance = 'on'")
        cursor.execute("TRUNCATE audit_event, audit_chainhead")
        cursor.execute("RESET panjere.audit_maintenance")
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_plain "
            "(id bigserial PRIMARY KEY, action text, payload jsonb, at timestamptz)"
        )
        cursor.execute("TRUNCATE bench_plain")
    connection.close()

    payload = {"from": "submitted", "to": "verified", "note": "benchmark " * 8}

    def plain(index, n):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_plain (action, payload, at) VALUES (%s, %s::jsonb, now())",
                ["bench.plain", '{"from": "submitted", "to": "verified"}'],
            )

    def chained(index, n):
        with transaction.atomic():
            record(action="bench.chained", payload={**payload, "writer": index, "n": n})

    rows = []
    for writers in (1, args.writers):
        per_writer = max(1, args.events // writers)
        total = per_writer * writers
        base = run_threads(writers, per_writer, plain)
        chain = run_threads(writers, per_writer, chained)
        rows.append((writers, total, total / base, total / chain))

    started = time.perf_counter()
    report = verify_chain()
    verify_seconds = time.perf_counter() - started
    if not report.intact:
        sys.exit(f"The chain is broken at {report.broken_at}: {report.reason}")

    print(f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} cores")
    header = ("writers", "events", "plain insert/s", "audit append/s", "ratio")
    print("{:>8} {:>7} {:>15} {:>15} {:>6}".format(*header))
    for writers, total, plain_rate, chain_rate in rows:
        print(
            f"{writers:>8} {total:>7} {plain_rate:>15.0f} {chain_rate:>15.0f} "
            f"{plain_rate / chain_rate:>5.2f}x"
        )
    print(
        f"audit verify: {report.count} events in {verify_seconds:.2f} s "
        f"({report.count / verify_seconds:.0f} events/s), chain intact"
    )


if __name__ == "__main__":
    main()
