"""Signed checkpoints: made when the trail grew, public to anyone, checked by panjere-verify."""

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

import panjere_verify
from audit import tasks
from audit.models import Checkpoint, Event
from audit.services import CHECKPOINT_TOPIC, checkpoint_after_commit, checkpoint_take
from audit.verification import CheckpointCopy
from core.models import OutboxMessage
from core.outbox import process

from .factories import make_events

pytestmark = pytest.mark.django_db

LOG = "127.0.0.1:8000/audit"


def _keys(client):
    return client.get("/api/v1/audit/keys/").json()


def test_a_checkpoint_signs_the_size_and_root_and_verifies_independently(client):
    # given seventeen events on the record
    make_events(17)

    # when a checkpoint is taken
    checkpoint = checkpoint_take()

    # then it covers all seventeen, and its signature verifies with the published key
    assert (checkpoint.size, checkpoint.log) == (17, LOG)
    published = CheckpointCopy.from_model(checkpoint).as_json()
    assert set(published) == {"log", "size", "root_hash", "recorded_at", "key_id", "signature"}
    report = panjere_verify.verify_checkpoint(published, _keys(client))
    assert report.ok, report.line


def test_no_second_checkpoint_while_the_trail_did_not_grow():
    make_events(3)
    first = checkpoint_take()

    again = checkpoint_take()

    assert again.pk == first.pk
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [3]


def test_an_empty_trail_is_not_signed():
    assert checkpoint_take() is None
    assert Checkpoint.objects.count() == 0


def test_the_beat_job_signs_only_when_the_trail_grew():
    make_events(5)

    assert tasks.checkpoint() == 5
    assert tasks.checkpoint() == 5
    make_events(2)
    assert tasks.checkpoint() == 7
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [7, 5]


def test_a_milestone_asks_for_a_checkpoint_that_covers_it():
    # given a service that reached a milestone and asked for a checkpoint in its transaction
    with transaction.atomic():
        make_events(4)
        checkpoint_after_commit(reason="tender.closed")

    # when the outbox message is processed after the commit
    message = OutboxMessage.objects.get(topic=CHECKPOINT_TOPIC)
    assert message.payload == {"reason": "tender.closed"}
    process(message.pk)

    # then the checkpoint covers the milestone's events
    assert Checkpoint.objects.get().size == Event.objects.count() == 4


def test_anyone_reads_the_checkpoints_page_feed_keys_and_api(client):
    make_events(20)
    checkpoint_take()
    make_events(3)
    newest = checkpoint_take()

    page = client.get(reverse("audit:checkpoints"))
    feed = client.get(reverse("audit:checkpoints_feed"))
    download = client.get(reverse("audit:checkpoint", kwargs={"size": 23}))
    listed = client.get("/api/v1/audit/checkpoints/")
    latest = client.get("/api/v1/audit/checkpoints/latest/")
    keys = client.get(reverse("audit:keys"))

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<tr id="checkpoint-') == 2
    assert newest.root_hash in html
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert feed.content.decode().count("<entry>") == 2
    assert download.json() == CheckpointCopy.from_model(newest).as_json()
    assert download["Content-Disposition"] == 'attachment; filename="checkpoint-23.json"'
    assert [entry["size"] for entry in listed.json()["results"]] == [23, 20]
    assert latest.json() == CheckpointCopy.from_model(newest).as_json()
    assert keys.json() == _keys(client)
    assert [key["status"] for key in keys.json()["keys"]] == ["current"]


def test_a_missing_checkpoint_is_a_clear_404(client):
    response = client.get("/api/v1/audit/checkpoints/5/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@override_settings(
    PANJERE_SIGNING_KEY="q3Xw0cE3h2m9ZxkW5d8oTfYV1nBq7LrS4aJ6uPgHiCk=",
    PANJERE_SIGNING_KEYS_RETIRED=["mrQ2M8th8Yw2uOjotnclawKqFxi+rC4uv3sE/sfwewQ="],
)
def test_after_a_rotation_the_old_key_still_verifies_what_it_signed(client):
    # given a checkpoint signed with the old (demo) key, before the rotation
    make_events(2)
    with override_settings(PANJERE_SIGNING_KEY="Ea1pyMxV4OpL3PwECLPvqcucesFLvhP8s2FW/AxpKyU="):
        old = CheckpointCopy.from_model(checkpoint_take()).as_json()
    make_events(2)
    new = CheckpointCopy.from_model(checkpoint_take()).as_json()

    # then both verify with the published key set: the new key current, the old one retired
    keys = _keys(client)
    assert [key["status"] for key in keys["keys"]] == ["current", "retired"]
    assert old["key_id"] != new["key_id"]
    assert panjere_verify.verify_checkpoint(old, keys).ok
    assert panjere_verify.verify_checkpoint(new, keys).ok
