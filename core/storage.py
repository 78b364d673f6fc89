"""Private storage for uploaded documents (suppliers' and tenders').

Never served as static or media files: downloads go through views that check
permissions.
"""

from contextlib import contextmanager

from django.core.files.storage import storages
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    """The `private` storage from STORAGES; downloads go through permission-checked views."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def private_storage_callable():
    return private_storage


class StoredFiles:
    """The files a service stored in the transaction it is running; see `stored_files`."""

    def __init__(self):
        self._stored: list[tuple] = []

    def save(self, field_file, name: str, content) -> None:
        """Store `content` into `field_file` (its row is saved by the caller), and note it."""
        field_file.save(name, content, save=False)
        self._stored.append((field_file.storage, field_file.name))

    def remove(self) -> None:
        for storage, name in self._stored:
            storage.delete(name)
        self._stored.clear()


@contextmanager
def stored_files():
    """Files stored in the block are removed again if the block fails.

    Storage is not transactional: a file written before its row would stay
    behind when the service's transaction rolls back. Every service that stores
    an upload wraps its (durable) transaction:

        with stored_files() as files, transaction.atomic(durable=True):
            ...
            files.save(document.file, checked.sha256, uploaded)
            document.save()

    so a refusal or an error anywhere in the transaction leaves no file behind.
    """
    files = StoredFiles()
    try:
        yield files
    except BaseException:
        files.remove()
        raise
