import pytest
from django.core.files.storage import storages
from django.utils.functional import empty

from core.storage import private_storage


@pytest.fixture(autouse=True)
def _fresh_private_storage():
    """Each test starts with an empty in-memory private storage."""
    storages._storages.pop("private", None)
    private_storage._wrapped = empty
    yield
    storages._storages.pop("private", None)
    private_storage._wrapped = empty
