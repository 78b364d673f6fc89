"""Receiving envelopes: multipart parts go straight to temporary files, never whole in memory."""

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.translation import gettext as _

from .exceptions import EnvelopeTooLarge


class EnvelopeUploadHandler(TemporaryFileUploadHandler):
    """Stream each part to a temporary file; refuse one past BIDDING_ENVELOPE_MAX_BYTES early."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limit = settings.BIDDING_ENVELOPE_MAX_BYTES
        if self.received > limit:
            self.file.close()
            raise EnvelopeTooLarge(
                _("An envelope may hold at most %(size)s bytes.") % {"size": limit},
                params={"kind": self.field_name, "reason": "EnvelopeTooLarge", "limit": limit},
                field=self.field_name,
            )
        return super().receive_data_chunk(raw_data, start)
