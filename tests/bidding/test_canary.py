"""No one but the key holders can read a bid: a canary in a sealed bid is nowhere else.

PostgreSQL and a real Celery worker on Redis. A supplier seals a bid with the
CLI's code (the bundle holds a document with a canary string) and submits it
over the API; the tender is then amended materially, so the worker handles the
outbox messages the bid causes (the bidders asked to confirm, their
notifications, a checkpoint). The canary is then looked for in a full
`pg_dump` of the database, every file of the envelope storage, every log
record and every task message sent to the broker: it is in none of them. A
test-only opening with the tender private key finds it.
"""

import base64
import datetime
import json
import logging
import shutil
import subprocess
import uuid

import pytest
from celery.signals import before_task_publish
from django.db import connections
from rest_framework.test import APIClient

from bidding.models import Envelope
from core.clock import frozen_at
from core.models import OutboxMessage
from panjere_client import bundle
from panjere_client.cli import main
from panjere_client.jcs import canonicalize
from tenders import services as tender_services
from tests.bidding.factories import NOW, bidder, published
from tests.celery_worker import tasks_through_broker, wait_for, worker
from tests.factories import login

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PG_DUMP = shutil.which("pg_dump") or "/usr/bin/pg_dump"


def _pg_dump() -> bytes:
    """A full plain-text dump of the test database, as its owner makes it."""
    settings = connections["owner"].settings_dict
    done = subprocess.run(
        [
            PG_DUMP,
            "--no-password",
            "-h",
            settings["HOST"] or "127.0.0.1",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"],
            "-d",
            settings["NAME"],
        ],
        capture_output=True,
        check=True,
        env={"PGPASSWORD": settings.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"},
    )
    return done.stdout


def test_a_canary_in_a_sealed_bid_is_nowhere_but_in_the_opened_envelope(
    tender_keys, envelope_folder, tmp_path, settings, caplog
):
    canary = f"CANARY-{uuid.uuid4().hex}"
    caplog.set_level(logging.DEBUG)
    messages = []

    def keep(body=None, headers=None, **kwargs):
        messages.append(json.dumps([body, headers], default=str))

    before_task_publish.connect(keep, weak=False)
    try:
        with tasks_through_broker(settings), worker():
            # given a published tender and a supplier who seals a bid with the CLI
            with frozen_at(NOW):
                tender, _lot, team = published()
                supplier, admin = bidder()
            (tmp_path / "tender.pub").write_text(
                base64.b64encode(tender_keys.public("single")).decode()
            )
            (tmp_path / "ctx.json").write_text(
                json.dumps(
                    {
                        "tender": tender.ocid,
                        "lot": "1",
                        "supplier": str(supplier.pk),
                        "bid_version": 1,
                    }
                )
            )
            schedule = bundle.build_price_schedule(
                "IRR",
                [
                    {
                        "item": "1",
                        "description": canary,
                        "quantity": "1",
                        "unit": "lot",
                        "unit_price": "987654321",
                    }
                ],
            )
            (tmp_path / "price-schedule.json").write_bytes(canonicalize(schedule))
            (tmp_path / "technical.txt").write_text(f"Our method statement. {canary}\n")
            assert (
                main(
                    [
                        "seal",
                        "--tender-key",
                        str(tmp_path / "tender.pub"),
                        "--kind",
                        "single",
                        "--context",
                        str(tmp_path / "ctx.json"),
                        "--out",
                        str(tmp_path / "env.bin"),
                        str(tmp_path / "price-schedule.json"),
                        str(tmp_path / "technical.txt"),
                    ]
                )
                == 0
            )
            # when it submits over the API and the tender is then amended materially
            client = login(APIClient(), admin)
            with frozen_at(NOW), (tmp_path / "env.bin").open("rb") as sealed:
                response = client.post(
                    f"/api/v1/tenders/{tender.ocid}/lots/1/bids/",
                    {"single": sealed},
                    format="multipart",
                    HTTP_IDEMPOTENCY_KEY="canary-1",
                )
            assert response.status_code == 201
            with frozen_at(NOW + datetime.timedelta(hours=1)):
                tender_services.tender_amend(
                    actor=team.officer, tender=tender, summary="New quantities", material=True
                )
            # and the worker has handled every message
            assert wait_for(
                lambda: not OutboxMessage.objects.exclude(status="processed").exists(), 60
            )
            assert OutboxMessage.objects.filter(topic="tenders.amended").count() == 1
    finally:
        before_task_publish.disconnect(keep)

    needle = canary.encode()
    # then the canary is in no part of the database
    dump = _pg_dump()
    assert b"bidding_bid" in dump and b"CREATE TABLE" in dump
    assert needle not in dump
    # nor in any stored file
    stored = [path for path in envelope_folder.rglob("*") if path.is_file()]
    assert [path.relative_to(envelope_folder).as_posix() for path in stored] == [
        Envelope.objects.get().file.name
    ]
    assert all(needle not in path.read_bytes() for path in stored)
    # nor in any log record or task message
    assert caplog.records
    assert all(canary not in record.getMessage() for record in caplog.records)
    assert messages
    assert all(canary not in message for message in messages)
    # while the tender's private key opens the envelope and finds it
    raw = tender_keys.private["single"].private_bytes_raw()
    (tmp_path / "tender.key").write_text(base64.b64encode(raw).decode())
    assert (
        main(
            [
                "open",
                "--private-key",
                str(tmp_path / "tender.key"),
                str(envelope_folder / Envelope.objects.get().file.name),
                "--out",
                str(tmp_path / "opened"),
            ]
        )
        == 0
    )
    assert canary in (tmp_path / "opened" / "technical.txt").read_text()
    assert canary in (tmp_path / "opened" / "price-schedule.json").read_text()
