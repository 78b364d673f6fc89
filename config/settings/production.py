"""Production: every secret and service comes from the environment, or nothing starts."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, DEMO_SECRET_KEY, DEMO_SIGNING_KEY, REDIS_URL, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a unique secret of at least 50 characters."
    )
# The web and worker processes refuse to start when their database role could rewrite
# the audit trail (core.dbroles.runtime_problems).
PANJERE_REQUIRE_LEAST_PRIVILEGE = env.bool("PANJERE_REQUIRE_LEAST_PRIVILEGE", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# "*" (or "." and the like) would answer any Host header: password-reset and other
# e-mailed links could then be built on an attacker's host name.
if not ALLOWED_HOSTS or any(re.fullmatch(r"[.*\s]*", host) for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must name the site's hosts, not a wildcard such as '*'."
    )
# Links in e-mails and published documents: the real public address, over HTTPS.
SITE_URL = env("PANJERE_SITE_URL")
_site = urlsplit(SITE_URL)
if _site.scheme != "https" or not _site.hostname or _site.hostname in {"127.0.0.1", "localhost"}:
    raise ImproperlyConfigured(
        "PANJERE_SITE_URL must be the site's public https:// address, "
        "e.g. https://panjere.example.org."
    )
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL=postgres://…")
if not REDIS_URL:
    raise ImproperlyConfigured("Production needs REDIS_URL for Celery.")
CELERY_TASK_ALWAYS_EAGER = False
PANJERE_SIGNING_KEY = env("PANJERE_SIGNING_KEY")
if PANJERE_SIGNING_KEY == DEMO_SIGNING_KEY:
    raise ImproperlyConfigured(
        "PANJERE_SIGNING_KEY is the public demo key: generate the platform's own "
        "(docs/audit.md, 'The signing key')."
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
PANJERE_DEMO_DATA_ALLOWED = False

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
if not SECURE_HSTS_PRELOAD:
    # Opting out of the browsers' preload list is a deliberate operator's choice.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
