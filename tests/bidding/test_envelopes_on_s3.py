"""Envelopes on S3-compatible object storage (django-storages), against moto's server.

The storage is what PANJERE_ENVELOPE_STORAGE=s3 configures; moto's threaded
server stands in for the object store over real HTTP. An envelope goes up in
multipart chunks and comes back as a stream that opens with the tender key.
"""

import hashlib
import io
import uuid

import boto3
import pytest
from django.utils.functional import empty
from moto.server import ThreadedMotoServer

from bidding import services
from bidding.models import Envelope
from bidding.storage import envelope_storage
from panjere_client import envelope
from tests.bidding.factories import bidder, published, seal, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_clock")]

# moto keeps its buckets in the process: each test has its own.
BUCKET = "panjere-envelopes-{}"


@pytest.fixture
def s3(settings, monkeypatch):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    bucket = BUCKET.format(uuid.uuid4().hex[:12])
    client.create_bucket(Bucket=bucket)
    client.bucket = bucket
    settings.STORAGES = {
        **settings.STORAGES,
        "envelopes": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": None,
                "file_overwrite": False,
                "max_memory_size": 1024 * 1024,
            },
        },
    }
    envelope_storage._wrapped = empty
    yield client
    envelope_storage._wrapped = empty
    server.stop()


def test_an_envelope_goes_to_s3_and_comes_back_as_a_stream_that_opens(tender_keys, s3):
    # given a 6 MiB bid sealed in 64 KiB chunks
    tender, lot, _team = published()
    supplier, admin = bidder()
    plaintext = hashlib.sha256(b"seed").digest() * (6 * 1024 * 1024 // 32)
    out = io.BytesIO()
    envelope.seal(
        io.BytesIO(plaintext),
        out,
        public_key=tender_keys.public("single"),
        context=envelope.Context(tender.ocid, "1", "single", str(supplier.pk), 1),
    )
    data = out.getvalue()
    # when it is submitted with the envelopes on S3
    services.bid_submit(
        actor=admin,
        tender=tender,
        lot=lot,
        supplier=supplier,
        envelopes={"single": upload(data)},
        idempotency_key="s3",
    )
    # then the object in the bucket is the envelope, byte for byte
    row = Envelope.objects.get()
    head = s3.head_object(Bucket=s3.bucket, Key=row.file.name)
    assert head["ContentLength"] == len(data) == row.size
    body = s3.get_object(Bucket=s3.bucket, Key=row.file.name)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == row.sha256
    # and read back through the storage as a stream, it opens with the tender key
    opened = hashlib.sha256()
    with envelope_storage.open(row.file.name, "rb") as stored:
        stream = envelope.OpenStream(stored, private_key=tender_keys.private["single"])
        while block := stream.read(64 * 1024):
            opened.update(block)
        assert stream.sha256 == row.sha256
        # the downloaded copy spooled to disk, not memory (max_memory_size is 1 MiB)
        assert stored.file._rolled is True
    assert opened.hexdigest() == hashlib.sha256(plaintext).hexdigest()


def test_a_refused_envelope_leaves_nothing_in_the_bucket(tender_keys, s3, nothing_written):
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)[:-1]
    with nothing_written(), pytest.raises(services.EnvelopeRejected):
        services.bid_submit(
            actor=admin,
            tender=tender,
            lot=lot,
            supplier=supplier,
            envelopes={"single": upload(data)},
            idempotency_key="s3",
        )
    assert s3.list_objects_v2(Bucket=s3.bucket).get("KeyCount") == 0
