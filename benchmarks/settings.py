"""Settings for the benchmarks under gunicorn: the demo settings, production-like where it counts.

DEBUG off (no query log kept in memory, no debug pages), persistent database
connections, the benchmark's extra URL (`/bench/bare/<pk>/`) and no API
throttling (a benchmark sends more than an anonymous visitor may).
"""

import warnings

from config.settings.local import *  # noqa: F403
from config.settings.local import DATABASES, REST_FRAMEWORK, STORAGES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "benchmarks.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 60
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": [], "DEFAULT_THROTTLE_RATES": {}}
# No collectstatic needed: {% static %} only builds URLs, and the benchmark fetches no asset.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Whitenoise warns once per process that STATIC_ROOT is missing: nothing is served from it here.
warnings.filterwarnings("ignore", message="No directory at")
