"""Stored envelopes that no committed bid references are swept once old enough."""

import datetime

import pytest
from django.core.files.base import ContentFile

from bidding import services
from bidding.models import Envelope
from bidding.storage import envelope_storage
from bidding.tasks import orphan_envelopes_sweep
from core.clock import frozen_at
from tests.bidding.factories import NOW, bidder, published, seal, upload

pytestmark = pytest.mark.django_db


def test_an_orphan_is_removed_and_a_committed_envelope_is_kept(tender_keys, settings):
    # given a committed bid's envelope and a file a dead request left behind
    with frozen_at(NOW):
        tender, lot, _team = published()
        supplier, admin = bidder()
        services.bid_submit(
            actor=admin,
            tender=tender,
            lot=lot,
            supplier=supplier,
            envelopes={"single": upload(seal(tender_keys, tender, lot, supplier))},
            idempotency_key="k",
        )
    kept = Envelope.objects.get().file.name
    orphan = envelope_storage.save(f"bids/{tender.pk}/dead-request.pje", ContentFile(b"sealed"))
    modified = envelope_storage.get_modified_time(orphan)
    settings.BIDDING_ORPHAN_AFTER_SECONDS = 3600
    # when the sweep runs before the orphan is an hour old, it waits
    with frozen_at(modified + datetime.timedelta(minutes=59)):
        assert orphan_envelopes_sweep() == 0
    assert envelope_storage.exists(orphan)
    # and once it is, the orphan goes and the committed envelope stays
    with frozen_at(modified + datetime.timedelta(minutes=61)):
        assert services.envelopes_sweep_orphans() == [orphan]
    assert not envelope_storage.exists(orphan)
    assert envelope_storage.exists(kept)
