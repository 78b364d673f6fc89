"""The ASGI entry point.

It defaults to the production settings: a deployment that forgets
DJANGO_SETTINGS_MODULE refuses to start without its secrets instead of serving
the demo (the public demo key, demo data).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_asgi_application()

# Production refuses to serve with a database role that could rewrite the audit trail.
from core.dbroles import refuse_unsafe_runtime_role  # noqa: E402 (needs the apps loaded)

refuse_unsafe_runtime_role()
