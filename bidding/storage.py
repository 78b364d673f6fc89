"""Where sealed envelopes are stored: the `envelopes` storage of STORAGES.

The file system by default; S3-compatible object storage through
django-storages when PANJERE_ENVELOPE_STORAGE=s3 (docs/configuration.md).
Envelopes are never served directly: the server only stores what it cannot
read, and the opening reads it back as a stream.
"""

from django.core.files.storage import storages
from django.utils.functional import LazyObject


class EnvelopeStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["envelopes"]


envelope_storage = EnvelopeStorage()


def envelope_storage_callable():
    return envelope_storage
