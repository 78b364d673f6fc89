"""Deadline rush: sealed bids of 1 MiB submitted by concurrent clients to gunicorn + PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/panjere_bench_bids \\
        .venv/bin/python benchmarks/deadline_rush.py --bids 2000 --clients 16

1. Creates and migrates the scratch database, publishes a two-envelope tender
   through the services, makes one eligible supplier (with an API token) per
   client and one X25519 key pair per envelope kind (handed to gunicorn by
   `benchmarks/bids_wsgi.py`, standing in for the keys made at publication).
2. Starts gunicorn (gthread) on a free port with `benchmarks.settings`; the
   envelopes go to a fresh folder.
3. The rush: each client seals, with the CLI's code, a technical and a
   financial envelope of 512 KiB each for its next bid version and POSTs them
   (multipart, Idempotency-Key); every bid supersedes the client's previous
   one. It records latency and the receipt.
4. The baseline in the same run: the same clients POST the same sizes to
   `/bench/bare-upload/`, which only streams the parts to the same storage and
   inserts one row.
5. The deadline: it is moved to 2 seconds ahead on the database's clock and
   every client keeps submitting until refused.
6. Checks: every acknowledged receipt verifies against the platform's key set
   and lists the envelopes sent; every acknowledged bid is in the database with
   its envelopes stored byte for byte (hashes re-read from the folder); no bid
   was accepted at or after the deadline. Prints bids/s, p50/p99, the ratio to
   the baseline and the gunicorn workers' memory before and after.
"""

import argparse
import base64
import datetime
import hashlib
import http.client
import io
import json
import math
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

ENVELOPE_PLAINTEXT = 512 * 1024 - 200  # each sealed envelope is just under 512 KiB


def ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(clients: int):
    """The tender (two envelopes), one supplier and API token per client, the tender keys."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from django.db import connection

    from accounts.services import api_token_create
    from core.clock import frozen_at
    from tests.tenders.factories import NOW, eligible_supplier, tender_in_state

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare_upload "
            "(id bigserial PRIMARY KEY, stored_at timestamptz NOT NULL, names text NOT NULL)"
        )
    with frozen_at(NOW):
        tender, _team = tender_in_state("published", envelope_scheme="two")
    suppliers = []
    for index in range(clients):
        supplier, admin = eligible_supplier(legal_name=f"Rush Builders {index + 1}")
        _token, raw = api_token_create(actor=admin, name="rush", expires_in_days=30)
        suppliers.append((supplier.pk, raw))
    private = {kind: X25519PrivateKey.generate() for kind in ("technical", "financial")}
    public = {
        kind: key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        for kind, key in private.items()
    }
    return tender, suppliers, public


def start_gunicorn(port, workers, threads, env) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "benchmarks.bids_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/bare/0/")
            conn.getresponse().read()
            conn.close()
            return process
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def worker_rss_mib(process: subprocess.Popen) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master), MiB."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(process.pid):
            found.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(found)


def multipart(parts: dict[str, bytes], fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "rush-" + secrets.token_hex(12)
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, data in parts.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{name}.pje"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        out.write(data)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def seal_bid(public, ocid, supplier_id, version) -> dict[str, bytes]:
    from panjere_client import envelope

    sealed = {}
    for kind in ("technical", "financial"):
        out = io.BytesIO()
        envelope.seal(
            io.BytesIO(secrets.token_bytes(ENVELOPE_PLAINTEXT)),
            out,
            public_key=public[kind],
            context=envelope.Context(ocid, "1", kind, str(supplier_id), version),
        )
        sealed[kind] = out.getvalue()
    return sealed


class Client(threading.Thread):
    """One supplier: seals its next version and submits it, `count` times (or until refused)."""

    def __init__(
        self, port, ocid, supplier_id, token, public, count, *, bare=False, until_refused=False
    ):
        super().__init__()
        self.port, self.ocid, self.supplier_id, self.token = port, ocid, supplier_id, token
        self.public, self.count, self.bare, self.until_refused = public, count, bare, until_refused
        self.version = 0
        self.latencies, self.acknowledged, self.refused, self.errors = [], [], [], []
        self.start_at = threading.Event()

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        self.start_at.wait()
        sent = 0
        while self.until_refused or sent < self.count:
            sent += 1
            version = self.version + 1
            sealed = seal_bid(self.public, self.ocid, self.supplier_id, version)
            body, content_type = multipart(sealed, {"supplier": str(self.supplier_id)})
            path = (
                "/bench/bare-upload/" if self.bare else f"/api/v1/tenders/{self.ocid}/lots/1/bids/"
            )
            headers = {
                "Content-Type": content_type,
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": f"rush-{self.supplier_id}-{version}-{secrets.token_hex(4)}",
            }
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                self.errors.append(repr(error))
                continue
            finished = time.perf_counter()
            if response.status in (200, 201):
                self.latencies.append((finished - started, finished))
                if not self.bare:
                    self.version = version
                    self.acknowledged.append((json.loads(answer), sealed))
            elif self.until_refused and response.status == 409:
                self.refused.append(json.loads(answer))
                return
            else:
                self.errors.append(f"{response.status} {answer[:300]!r}")
                if self.until_refused:
                    return


def rush(
    port, ocid, suppliers, public, per_client, *, bare=False, until_refused=False, versions=None
):
    clients = [
        Client(
            port,
            ocid,
            supplier_id,
            token,
            public,
            per_client,
            bare=bare,
            until_refused=until_refused,
        )
        for supplier_id, token in suppliers
    ]
    for client in clients:
        if versions:
            client.version = versions[client.supplier_id]
        client.start()
    started = time.perf_counter()
    for client in clients:
        client.start_at.set()
    for client in clients:
        client.join()
    latencies = sorted(latency for client in clients for latency, _f in client.latencies)
    ends = [finished for client in clients for _l, finished in client.latencies]
    wall = (max(ends) - started) if ends else float("nan")
    return clients, {
        "ok": len(latencies),
        "errors": sum(len(client.errors) for client in clients),
        "per_second": len(latencies) / wall if latencies else 0.0,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[max(0, math.ceil(0.99 * len(latencies)) - 1)] * 1000
        if latencies
        else float("nan"),
        "wall": wall,
    }


def check(clients, folder: Path, keys: dict, deadline) -> dict:
    """Every acknowledged bid stored as its receipt says; none accepted at or after the deadline."""
    from bidding.models import Bid, Envelope
    from panjere_client.receipts import verify_receipt

    acknowledged = [entry for client in clients for entry in client.acknowledged]
    bids = {bid.pk: bid for bid in Bid.objects.all()}
    rows = {(row.bid_id, row.kind): row for row in Envelope.objects.all()}
    problems = []
    for answer, sealed in acknowledged:
        receipt = verify_receipt(answer["receipt"], keys)
        bid = bids.get(int(receipt.bid))
        if bid is None:
            problems.append(f"bid {receipt.bid} acknowledged but not stored")
            continue
        for kind, data in sealed.items():
            receipt.check_envelope(
                kind=kind, sha256=hashlib.sha256(data).hexdigest(), size=len(data)
            )
            stored = (folder / rows[(bid.pk, kind)].file.name).read_bytes()
            if stored != data:
                problems.append(f"bid {bid.pk} {kind}: stored bytes differ")
    late = [bid.pk for bid in bids.values() if bid.submitted_at >= deadline]
    return {
        "acknowledged": len(acknowledged),
        "stored": len(bids),
        "problems": problems,
        "late": late,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=2000, help="bids in the rush")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (it is dropped and remade).")
    ensure_database(url)
    folder = Path(tempfile.mkdtemp(prefix="panjere-rush-"))
    os.environ["PANJERE_ENVELOPE_ROOT"] = str(folder)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from audit.selectors import key_set
    from core.clock import db_now
    from tenders.models import Tender

    call_command("migrate", verbosity=0)
    tender, suppliers, public = prepare(args.clients)
    deadline = db_now() + datetime.timedelta(hours=1)
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=deadline)
    connection.close()

    port = free_port()
    env = {
        **os.environ,
        "BENCH_TENDER_KEYS": json.dumps(
            {k: base64.b64encode(v).decode() for k, v in public.items()}
        ),
    }
    print(
        f"gunicorn 127.0.0.1:{port}, {args.workers} workers x {args.threads} threads; "
        f"{args.bids} bids of 2 x 512 KiB from {args.clients} clients; envelopes in {folder}",
        flush=True,
    )
    process = start_gunicorn(port, args.workers, args.threads, env)
    try:
        memory_before = worker_rss_mib(process)
        per_client = max(1, args.bids // args.clients)
        clients, bids = rush(port, tender.ocid, suppliers, public, per_client)
        memory_after = worker_rss_mib(process)
        _bare_clients, bare = rush(port, tender.ocid, suppliers, public, per_client, bare=True)
        memory_after_bare = worker_rss_mib(process)
        # the deadline, 2 seconds ahead on the database's clock; every client submits until refused
        versions = {client.supplier_id: client.version for client in clients}
        deadline = db_now() + datetime.timedelta(seconds=2)
        Tender.objects.filter(pk=tender.pk).update(submission_deadline=deadline)
        connection.close()
        last, straddle = rush(
            port, tender.ocid, suppliers, public, 0, until_refused=True, versions=versions
        )
    finally:
        process.terminate()
        process.wait(timeout=30)

    result = check(clients + last, folder, key_set(), deadline)
    refused = [answer["code"] for client in last for answer in client.refused]
    print()
    print(f"{'':24} {'ok':>6} {'errors':>6} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, figures in (
        ("sealed bids", bids),
        ("bare upload + 1 row", bare),
        ("at the deadline", straddle),
    ):
        print(
            f"{name:24} {figures['ok']:>6} {figures['errors']:>6} {figures['per_second']:>8.1f} "
            f"{figures['p50']:>8.1f} {figures['p99']:>8.1f}"
        )
    ratio = bids["per_second"] / bare["per_second"] if bare["per_second"] else float("nan")
    print(f"\nsealed bids / bare endpoint throughput: {ratio:.0%}")
    print(
        "gunicorn workers' RSS (MiB): before "
        + ", ".join(f"{m:.0f}" for m in memory_before)
        + "; after the bids "
        + ", ".join(f"{m:.0f}" for m in memory_after)
        + "; after the baseline "
        + ", ".join(f"{m:.0f}" for m in memory_after_bare)
    )
    print(
        f"acknowledged {result['acknowledged']}, stored {result['stored']}, "
        f"receipts and stored bytes checked: {len(result['problems'])} problems; "
        f"accepted at or after the deadline: {len(result['late'])}; "
        f"refused at the deadline: {len(refused)} ({', '.join(sorted(set(refused)))})"
    )
    for problem in result["problems"][:10]:
        print("  ", problem)
    if result["problems"] or result["late"] or result["acknowledged"] != result["stored"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
