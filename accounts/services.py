"""Every write the accounts app offers: one function per use case, audited."""

from django.conf import settings
from django.db import transaction

from audit.services import record

from .exceptions import UnknownLanguage


def user_set_language(*, user, language: str):
    """Remember `user`'s interface language, so every device shows it."""
    if language not in dict(settings.LANGUAGES):
        raise UnknownLanguage(params={"language": language})
    if user.language == language:
        return user
    with transaction.atomic():
        previous = user.language
        user.language = language
        user.save(update_fields=["language"])
        record(
            action="user.language_changed",
            actor=user,
            obj=user,
            payload={"from": previous, "to": language},
        )
    return user
