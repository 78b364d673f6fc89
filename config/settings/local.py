"""The embedded demo: `make run`. SQLite, in-process tasks, mail to the console.

DEBUG stays off, as in production: a visitor who follows a dead link or meets
a bug sees the platform's own error pages, never Django's debug page (which
lists every URL of the site and the settings). A developer who wants the debug
page sets DJANGO_DEBUG=True. The banner saying the data is made up follows
PANJERE_DEMO, not DEBUG.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
PANJERE_DEMO = True
# Static files without `collectstatic`: WhiteNoise serves them from the apps' and the
# project's static folders (the finders), re-read on change, and no manifest is needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
