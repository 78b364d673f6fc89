"""Settings for the test suite.

DATABASE_URL and REDIS_URL decide which services the tests use; without them
the suite runs on SQLite and skips, with a reason, the tests that need the
real services.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# The test database is made, migrated and emptied between transactional tests by the
# owner of the schema (DATABASE_MIGRATE_URL); the tests themselves run as the runtime
# role of DATABASE_URL on that same database (Django's "test mirror"), as production does.
DATABASES["default"]["TEST"] = {"MIRROR": "owner"}  # noqa: F405
DATABASES["owner"]["TEST"] = {"DEPENDENCIES": []}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "envelopes": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
# WhiteNoise finds static files through the finders, as in development: the tests
# need no `collectstatic`, and a stale or half-written STATIC_ROOT cannot affect them.
WHITENOISE_AUTOREFRESH = True
# Tests decide per test whether tasks run eagerly or on a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env("REDIS_URL", default="memory://") or "memory://"
AXES_FAILURE_LIMIT = 5
# The whole suite calls the API from one address; tests of throttling set their own rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
