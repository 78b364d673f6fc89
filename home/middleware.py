"""The home floor's middleware: a signed-in user's remembered language."""

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Show a signed-in user their remembered language on a device that has no choice yet.

    The language cookie (this device's explicit choice) wins; without it, the
    language stored on the user (`User.language`, set by the language switcher)
    replaces what LocaleMiddleware guessed from the browser. Runs after
    AuthenticationMiddleware, which provides `request.user`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        languages = dict(settings.LANGUAGES)
        if (
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) not in languages
            and user is not None
            and user.is_authenticated
            and user.language in languages
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
