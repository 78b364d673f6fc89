"""The home floor's middleware: the language a link carries, and a user's remembered language."""

from django.conf import settings
from django.utils import translation

# The query parameter with which a link carries its language: /tenders/T-DEMO-001/?lang=fa
LANGUAGE_PARAMETER = "lang"


class UserLanguageMiddleware:
    """Show a page in the language its link carries, else a signed-in user's remembered one.

    A link with `?lang=fa` (or `en`) opens in that language whatever the
    browser says, and the choice is remembered on this device (the language
    cookie, as the header's switcher sets it), so the pages it leads to follow.
    Without it, the language cookie (this device's explicit choice) wins; without
    that, the language stored on the user (`User.language`, set by the language
    switcher) replaces what LocaleMiddleware guessed from the browser. Runs after
    AuthenticationMiddleware, which provides `request.user`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        languages = dict(settings.LANGUAGES)
        carried = request.GET.get(LANGUAGE_PARAMETER)
        if carried in languages:
            translation.activate(carried)
            request.LANGUAGE_CODE = carried
            response = self.get_response(request)
            if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != carried:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    carried,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
            return response
        if (
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) not in languages
            and user is not None
            and user.is_authenticated
            and user.language in languages
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
