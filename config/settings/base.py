"""Settings shared by every environment; every value comes from the environment.

The defaults are those of the embedded demo (`make run`): SQLite, tasks run
in-process, mail to the console, offline payments. `production.py` refuses
to start without the secrets and services a real deployment needs.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

# --- Core ---------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The demo key is public on purpose: production.py refuses it.
DEMO_SECRET_KEY = "panjere-demo-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEMO_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("PANJERE_SITE_URL", default="http://127.0.0.1:8000")
# The platform's Ed25519 key (base64 of its 32-byte seed): it signs the audit trail's
# checkpoints and bid receipts. The demo key is public on purpose: production.py refuses
# it. After a rotation, list the old public keys so what they signed still verifies.
DEMO_SIGNING_KEY = "Ea1pyMxV4OpL3PwECLPvqcucesFLvhP8s2FW/AxpKyU="
PANJERE_SIGNING_KEY = env("PANJERE_SIGNING_KEY", default=DEMO_SIGNING_KEY)
PANJERE_SIGNING_KEYS_RETIRED = env.list("PANJERE_SIGNING_KEYS_RETIRED", default=[])
# How many reverse proxies, each appending to X-Forwarded-For, stand in front of Django
# (docs/deployment.md: 1, nginx). The client's address is read through exactly that many
# (core.proxies): never from what the client wrote itself. 0: the header is ignored.
PANJERE_TRUSTED_PROXIES = env.int("PANJERE_TRUSTED_PROXIES", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_fsm",
    "django_celery_beat",
    "pgtrigger",
    "csp",
    # django-rules, importing each app's rules.py (the rules of Panjere's permission names)
    "rules.apps.AutodiscoverRulesConfig",
    # ours
    "core",
    "accounts",
    "audit",
    "notifications",
    "suppliers",
    "tenders",
    "bidding",
    # above every domain app: the home page, the dashboard, the language switcher; the demo
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # NUL characters, JSON too deep or too large, values out of range: a 4xx, never a 500.
    "core.middleware.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's remembered language, where the device has not chosen one.
    "home.middleware.UserLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Turns core.ratelimits' refusals into RATELIMIT_VIEW's 429.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
# Forms render with Bootstrap's classes, errors tied to their fields (templates/forms/).
FORM_RENDERER = "core.forms.BootstrapFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.platform",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# Two PostgreSQL roles (docs/deployment.md): the application runs as the role of
# DATABASE_URL, which may only append to the audit trail; the owner of the schema
# (DATABASE_MIGRATE_URL) runs the migrations and grants the runtime role its rights
# (`manage.py migrate` uses the "owner" alias). Set DATABASE_MIGRATE_URL only where
# migrations run, never in the web or worker environment. Without it (the demo) the
# owner is the runtime role itself.
_DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": env.db("DATABASE_URL", default=_DEFAULT_DATABASE_URL),
    "owner": env.db(
        "DATABASE_MIGRATE_URL", default=env("DATABASE_URL", default=_DEFAULT_DATABASE_URL)
    ),
}
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
    _database["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL and a busy timeout let the threaded dev server write while it reads.
        _database.setdefault("OPTIONS", {}).update(
            {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
        )
# The owner runs migrations only: the runtime role never connects with its rights.
DATABASES["owner"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ---------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Panjere's named permissions, checked against an object (accounts.permissions).
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# django-axes: lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client's address behind the trusted proxies (core.proxies). Not AXES_IPWARE_*:
# django-axes reads those only when django-ipware is installed, and otherwise silently
# counts REMOTE_ADDR, the proxy's own address, for every client.
AXES_CLIENT_IP_CALLABLE = "core.proxies.client_ip"

OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Panjere")
# django-otp's throttling: after n wrong codes a device waits 2**(n-1) seconds (0 disables).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Personal API tokens expire after this many days unless the holder picks less.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
EMAIL_VERIFICATION_MAX_AGE_DAYS = env.int("EMAIL_VERIFICATION_MAX_AGE_DAYS", default=3)
# Life of a one-time link that lets a user set up an authenticator (e-mailed, or issued by
# an administrator), and of the setup it opens.
TWO_FACTOR_ENROLMENT_MAX_AGE_MINUTES = env.int("TWO_FACTOR_ENROLMENT_MAX_AGE_MINUTES", default=60)

# Rate limits of the pages that open accounts or send e-mail (core.ratelimits), counted
# per client address, per signed-in user or per e-mail address asked about. Past them the
# answer is 429 and nothing is sent. Format N/second|minute|hour|day.
_EMAIL_LINKS_PER_IP = env("RATE_LIMIT_EMAIL_LINKS_PER_IP", default="10/hour")
_EMAIL_LINKS_PER_USER = env("RATE_LIMIT_EMAIL_LINKS_PER_USER", default="3/hour")
RATE_LIMITS = {
    "signup.ip": env("RATE_LIMIT_SIGNUP_PER_IP", default="10/hour"),
    "password_reset.ip": env("RATE_LIMIT_PASSWORD_RESET_PER_IP", default="10/hour"),
    "password_reset.email": env("RATE_LIMIT_PASSWORD_RESET_PER_EMAIL", default="3/hour"),
    "email_verification.ip": _EMAIL_LINKS_PER_IP,
    "email_verification.user": _EMAIL_LINKS_PER_USER,
    "two_factor_enrolment.ip": _EMAIL_LINKS_PER_IP,
    "two_factor_enrolment.user": _EMAIL_LINKS_PER_USER,
}
RATELIMIT_IP_META_KEY = "core.proxies.client_ip"
RATELIMIT_VIEW = "core.errors.too_many_requests"

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Asia/Tehran")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# --- Static and media ----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Supplier documents and other private files: outside MEDIA_ROOT, never served directly.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("PANJERE_PRIVATE_ROOT", default=str(BASE_DIR / "private"))},
    },
    # Sealed bid envelopes (ciphertext only): the file system, or S3-compatible object
    # storage through django-storages with PANJERE_ENVELOPE_STORAGE=s3 (docs/configuration.md).
    "envelopes": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env(
                "PANJERE_ENVELOPE_ROOT",
                default=env("PANJERE_PRIVATE_ROOT", default=str(BASE_DIR / "private")),
            )
        },
    },
}
if env("PANJERE_ENVELOPE_STORAGE", default="filesystem") == "s3":
    STORAGES["envelopes"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("PANJERE_ENVELOPE_S3_BUCKET"),
            "endpoint_url": env("PANJERE_ENVELOPE_S3_ENDPOINT_URL", default=None),
            "region_name": env("PANJERE_ENVELOPE_S3_REGION", default=None),
            "access_key": env("PANJERE_ENVELOPE_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("PANJERE_ENVELOPE_S3_SECRET_ACCESS_KEY", default=None),
            "location": env("PANJERE_ENVELOPE_S3_PREFIX", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            # Reading an envelope back spools it to disk past this size (the default, 0,
            # would keep it whole in memory); writing streams it in multipart chunks.
            "max_memory_size": env.int("PANJERE_ENVELOPE_S3_MAX_MEMORY_BYTES", default=4194304),
        },
    }

# --- Mail -----------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Panjere <no-reply@panjere.local>")

# --- Cache ------------------------------------------------------------------------
# Default: an in-memory cache in each process (the demo). With several web nodes, point
# CACHE_URL at Redis (redis://host:6379/1) so that they share it: the API's throttling
# counters and the public tender list's rendered pages live there.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://panjere")}

# --- Celery -----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Without a broker (the demo) tasks run in-process, after the commit that caused them.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Outbox messages not dispatched after this many seconds are picked up by the sweep.
OUTBOX_SWEEP_AFTER_SECONDS = env.int("OUTBOX_SWEEP_AFTER_SECONDS", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
# How long an outside call (mail, payment gateway) may take before the sweep hands the
# message out again, with the same idempotency key.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
# A failed handler is retried after 30 s, 60 s, 120 s, … at most an hour apart.
OUTBOX_RETRY_BACKOFF_SECONDS = env.int("OUTBOX_RETRY_BACKOFF_SECONDS", default=30)
OUTBOX_RETRY_BACKOFF_MAX_SECONDS = env.int("OUTBOX_RETRY_BACKOFF_MAX_SECONDS", default=3600)
# Which function handles each outbox topic (core.outbox.process), floor by floor. The one
# map of what runs after a commit: nothing registers itself at start-up. Topics are stored
# on the messages, so a topic keeps its name when its handler moves.
OUTBOX_HANDLERS = {
    "audit.checkpoint": "audit.outbox_handlers.take_checkpoint",
    "core.notify": "notifications.outbox_handlers.deliver_notification",
    "core.notification_email": "notifications.outbox_handlers.email_notification",
    "accounts.send_email_verification": "accounts.outbox_handlers.email_verification",
    "accounts.send_password_reset": "accounts.outbox_handlers.password_reset",
    "accounts.send_two_factor_enrolment": "accounts.outbox_handlers.two_factor_enrolment",
    "suppliers.send_representative_invitation": (
        "suppliers.outbox_handlers.representative_invitation"
    ),
    # A material amendment asks the suppliers who bid to confirm or resubmit.
    "tenders.amended": "bidding.outbox_handlers.bids_after_amendment",
}
# A form's one-time token (core.formtokens) is accepted this long after the page was shown;
# used tokens and API idempotency keys are kept as long, then swept.
FORM_TOKEN_MAX_AGE = env.int("FORM_TOKEN_MAX_AGE", default=24 * 60 * 60)
IDEMPOTENCY_KEY_MAX_AGE = env.int("IDEMPOTENCY_KEY_MAX_AGE", default=24 * 60 * 60)
# How the auditor's pages name each object type on the trail (audit.describers): the app
# that owns the model names it, and audit, below every app, reads this map when a page
# needs it. Nothing registers itself at start-up.
AUDIT_DESCRIBERS = {
    "audit.person": "audit.describers.PersonDescriber",
    "core.outboxmessage": "audit.describers.OutboxMessageDescriber",
    "accounts.user": "accounts.audit_describers.UserDescriber",
    "accounts.organisation": "accounts.audit_describers.OrganisationDescriber",
    "accounts.membership": "accounts.audit_describers.MembershipDescriber",
    "accounts.apitoken": "accounts.audit_describers.ApiTokenDescriber",
    "suppliers.supplier": "suppliers.audit_describers.SupplierDescriber",
    "tenders.tender": "tenders.audit_describers.TenderDescriber",
    "tenders.outage": "tenders.audit_describers.OutageDescriber",
}
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "core.tasks.outbox_sweep", "schedule": 30.0},
    "one-time-tokens-sweep": {
        "task": "core.tasks.one_time_tokens_sweep",
        "schedule": crontab(minute=17),
    },
    "supplier-documents-sweep": {
        "task": "suppliers.tasks.documents_sweep",
        "schedule": crontab(hour=1, minute=0),
    },
    # Closing at the deadline is bookkeeping (bids are gated by the database time).
    "tender-close-due": {"task": "tenders.tasks.close_due", "schedule": 30.0},
    "audit-checkpoint": {
        "task": "audit.tasks.checkpoint",
        "schedule": float(env.int("AUDIT_CHECKPOINT_SECONDS", default=300)),
    },
    "bidding-orphan-envelopes-sweep": {
        "task": "bidding.tasks.orphan_envelopes_sweep",
        "schedule": 900.0,
    },
    "tender-deadline-reminders": {
        "task": "tenders.tasks.send_deadline_reminders",
        "schedule": 300.0,
    },
}

# --- REST API -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Answers 429 (problem+json, with Retry-After) beyond these rates. The counts
    # live in the default cache: per process unless CACHES points at a shared one.
    # Anonymous clients are counted by their address behind the trusted proxies.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    "NUM_PROXIES": PANJERE_TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Panjere API",
    "DESCRIPTION": "The e-procurement platform's REST API. Errors are RFC 9457 problem+json.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page are public, read-only (the API denies by default).
    "SERVE_PERMISSIONS": ["core.api.PublicReadOnly"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents its problem+json errors (core.api).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_problem_responses",
    ],
}

# --- Security headers ---------------------------------------------------------------
# Nothing is loaded from another origin: the pages work offline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Suppliers ---------------------------------------------------------------------
SUPPLIER_DOCUMENT_MAX_BYTES = env.int("SUPPLIER_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
SUPPLIER_DOCUMENT_TYPES = env.list(
    "SUPPLIER_DOCUMENT_TYPES", default=["application/pdf", "image/png", "image/jpeg"]
)
# The document kinds (suppliers.models.DocumentKind) every supplier must hold to bid.
SUPPLIER_REQUIRED_DOCUMENTS = env.list(
    "SUPPLIER_REQUIRED_DOCUMENTS",
    default=["registration_certificate", "tax_clearance", "social_security"],
)
SUPPLIER_EXPIRY_WARNING_DAYS = env.int("SUPPLIER_EXPIRY_WARNING_DAYS", default=30)

# --- Tenders ---------------------------------------------------------------------------
# Tender documents: the largest accepted, and the types accepted (decided from the content).
TENDER_DOCUMENT_MAX_BYTES = env.int(
    "TENDER_DOCUMENT_MAX_BYTES", default=SUPPLIER_DOCUMENT_MAX_BYTES
)
TENDER_DOCUMENT_TYPES = env.list("TENDER_DOCUMENT_TYPES", default=SUPPLIER_DOCUMENT_TYPES)
# OCDS ocid = prefix + "-" + the tender's reference (register a prefix with OCDS for production).
TENDER_OCID_PREFIX = env("TENDER_OCID_PREFIX", default="ocds-pnj000")
# The OCDS packages' publisher, licence and publication policy (tenders/ocds.py).
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", default="Panjere")
OCDS_PUBLISHER_URI = env("OCDS_PUBLISHER_URI", default="")
OCDS_LICENSE = env("OCDS_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")
OCDS_PUBLICATION_POLICY = env("OCDS_PUBLICATION_POLICY", default="")
# Minimum days between publication and the submission deadline, per procurement method.
TENDER_MIN_PERIOD_DAYS = {
    "open": env.int("TENDER_MIN_PERIOD_DAYS_OPEN", default=30),
    "restricted": env.int("TENDER_MIN_PERIOD_DAYS_RESTRICTED", default=20),
    "rfq": env.int("TENDER_MIN_PERIOD_DAYS_RFQ", default=5),
}
# A material amendment must leave at least this many days before the submission deadline.
TENDER_MATERIAL_AMENDMENT_MIN_DAYS = env.int("TENDER_MATERIAL_AMENDMENT_MIN_DAYS", default=7)
# Deadlines within this many hours after a recorded outage are extended too (and by this much).
TENDER_OUTAGE_MARGIN_HOURS = env.int("TENDER_OUTAGE_MARGIN_HOURS", default=2)
# Seconds the shared parts of the public list and notices are reused, 0 for never. Never
# older than the open data: keyed on the OCDS releases published and the minute (the list),
# or on the tender's last release (a notice).
TENDER_PUBLIC_CACHE_SECONDS = env.int("TENDER_PUBLIC_CACHE_SECONDS", default=60)
# A restricted tender needs at least this many invited suppliers to be submitted for approval.
TENDER_RESTRICTED_MIN_INVITATIONS = env.int("TENDER_RESTRICTED_MIN_INVITATIONS", default=3)

# --- Sealed bids ----------------------------------------------------------------
# The largest envelope (ciphertext, bytes) a submission may carry, per envelope.
BIDDING_ENVELOPE_MAX_BYTES = env.int("BIDDING_ENVELOPE_MAX_BYTES", default=200 * 1024 * 1024)
# A stored envelope file that no committed bid references is removed by the sweep once
# it is this old (an upload whose request died between storing and committing).
BIDDING_ORPHAN_AFTER_SECONDS = env.int("BIDDING_ORPHAN_AFTER_SECONDS", default=3600)

# --- Audit trail ------------------------------------------------------------------
# The name a signed checkpoint gives its log, so that copies of two platforms' trails
# are never mixed up.
AUDIT_LOG_ID = env("AUDIT_LOG_ID", default=f"{urlsplit(SITE_URL).netloc}/audit")
# Seconds between the scheduled checkpoints (taken only when the trail grew).
AUDIT_CHECKPOINT_SECONDS = env.int("AUDIT_CHECKPOINT_SECONDS", default=300)
# Production refuses to start when the runtime database role could rewrite the trail.
PANJERE_REQUIRE_LEAST_PRIVILEGE = env.bool("PANJERE_REQUIRE_LEAST_PRIVILEGE", default=False)

# --- Platform -------------------------------------------------------------------------
# The ISO 4217 currencies the platform accepts for amounts, the first being the one forms
# propose (core.money). Each currency's minor units come from ISO 4217 (py-moneyed's table).
PANJERE_CURRENCIES = [
    code.strip().upper() for code in env.list("PANJERE_CURRENCIES", default=["IRR", "EUR", "USD"])
]
PANJERE_DEMO_DATA_ALLOWED = env.bool("PANJERE_DEMO_DATA_ALLOWED", default=True)
# The embedded demo (config.settings.local): every page says that its data is made up.
PANJERE_DEMO = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
