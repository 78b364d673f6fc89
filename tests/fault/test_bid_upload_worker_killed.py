"""A gunicorn worker killed with SIGKILL in the middle of uploads (real gunicorn, PostgreSQL).

Clients keep submitting sealed bids while the worker is killed twice. Whatever
reached a client as a receipt is stored and matches it; no bid is visible
without its envelopes and receipt; the audit trail still verifies.
"""

import base64
import datetime
import hashlib
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.services import api_token_create
from audit.selectors import key_set
from bidding.models import Bid
from core.clock import db_now, frozen_at
from panjere_client import envelope
from panjere_client.receipts import verify_receipt
from tenders.models import Tender
from tests.bidding.factories import NOW, TenderKeys, bidder, published

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 6


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _workers(master: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master):
            found.append(int(status.parent.name))
    return found


def _multipart(parts: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = "kill-boundary-7f3a"
    out = io.BytesIO()
    for name, data in parts.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{name}.pje"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_a_killed_worker_loses_no_acknowledged_bid_and_leaves_no_partial_one(tmp_path):
    # given a published tender, its keys, and suppliers with API tokens
    keys = TenderKeys()
    with frozen_at(NOW):
        tender, _lot, _team = published()
    Tender.objects.filter(pk=tender.pk).update(
        submission_deadline=db_now() + datetime.timedelta(hours=1)
    )
    clients = []
    for _ in range(CLIENTS):
        supplier, admin = bidder()
        _token, raw = api_token_create(actor=admin, name="kill", expires_in_days=1)
        clients.append((supplier.pk, raw))
    folder = tmp_path / "envelopes"
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    connection.close()
    # and gunicorn serving the platform on that database
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": url,
        "PANJERE_ENVELOPE_ROOT": str(folder),
        "BENCH_TENDER_KEYS": json.dumps(
            {"single": base64.b64encode(keys.public("single")).decode()}
        ),
    }
    master = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "benchmarks.bids_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "6",
            "--worker-class",
            "gthread",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    acknowledged, failures = [], []
    stop = threading.Event()

    def client(supplier_id, token):
        version = 1
        while not stop.is_set():
            out = io.BytesIO()
            envelope.seal(
                io.BytesIO(os.urandom(400_000)),
                out,
                public_key=keys.public("single"),
                context=envelope.Context(tender.ocid, "1", "single", str(supplier_id), version),
            )
            body, content_type = _multipart({"single": out.getvalue()})
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(
                    "POST",
                    f"/api/v1/tenders/{tender.ocid}/lots/1/bids/",
                    body=body,
                    headers={
                        "Content-Type": content_type,
                        "Authorization": f"Bearer {token}",
                        "Idempotency-Key": f"kill-{supplier_id}-{version}",
                    },
                )
                response = conn.getresponse()
                answer = response.read()
                conn.close()
            except (OSError, http.client.HTTPException) as error:
                failures.append(repr(error))
                time.sleep(0.2)
                continue  # a retry with the same key: the same bid, or none
            if response.status in (200, 201):
                acknowledged.append((json.loads(answer)["receipt"], out.getvalue()))
                version += 1

    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        threads = [threading.Thread(target=client, args=entry) for entry in clients]
        for thread in threads:
            thread.start()
        # when the worker is killed twice in the middle of the uploads
        for _ in range(2):
            time.sleep(4)
            for pid in _workers(master.pid):
                os.kill(pid, signal.SIGKILL)
        time.sleep(5)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=30)

    # then uploads were cut, and every receipt that reached a client matches a stored bid
    assert acknowledged
    assert failures  # connections cut by the kills
    keys_json = key_set()
    bids = {
        bid.pk: bid for bid in Bid.objects.prefetch_related("envelopes").select_related("receipt")
    }
    for document, data in acknowledged:
        receipt = verify_receipt(document, keys_json)
        bid = bids[int(receipt.bid)]
        (row,) = bid.envelopes.all()
        assert (folder / row.file.name).read_bytes() == data
        receipt.check_envelope(
            kind="single", sha256=hashlib.sha256(data).hexdigest(), size=len(data)
        )
        assert bid.receipt.document == document
    # and no bid is visible without its envelope and receipt
    for bid in bids.values():
        assert bid.envelopes.count() == 1
        assert bid.receipt.audit_seq > 0
    # and the audit trail verifies
    output = io.StringIO()
    call_command("audit", "verify", stdout=output)
    assert output.getvalue().startswith("Audit trail intact: ")
