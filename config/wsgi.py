"""The WSGI entry point (gunicorn config.wsgi:application).

It defaults to the production settings: a deployment that forgets
DJANGO_SETTINGS_MODULE refuses to start without its secrets instead of serving
the demo (the public demo key, demo data). The demo sets its own settings.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Production refuses to serve with a database role that could rewrite the audit trail.
from core.dbroles import refuse_unsafe_runtime_role  # noqa: E402 (needs the apps loaded)

refuse_unsafe_runtime_role()
