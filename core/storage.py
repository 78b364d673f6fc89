"""Private storage for uploaded documents (suppliers' and tenders').

Never served as static or media files: downloads go through views that check
permissions.
"""

from django.core.files.storage import storages
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    """The `private` storage from STORAGES; downloads go through permission-checked views."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def private_storage_callable():
    return private_storage
