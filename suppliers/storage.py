"""Private storage for supplier documents: never served as static or media files."""

from django.conf import settings
from django.core.files.storage import storages
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    """The `private` storage from STORAGES; downloads go through permission-checked views."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def private_storage_callable():
    return private_storage


def max_upload_bytes() -> int:
    return settings.SUPPLIER_DOCUMENT_MAX_BYTES
