"""The Celery app: configured from Django settings under the CELERY_ namespace.

`celery -A config worker` runs the tasks; `celery -A config beat` runs the
schedule in CELERY_BEAT_SCHEDULE through django-celery-beat's DatabaseScheduler,
which copies those entries into its tables when beat starts (operators can
then see and pause them in the admin).

Like wsgi.py it defaults to the production settings, so a worker or beat that
forgets DJANGO_SETTINGS_MODULE refuses to start without its secrets; `make
worker` and `make beat` choose the demo's.
"""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("panjere")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unsafe_runtime_role(**kwargs):
    """Production workers refuse to start with a role that could rewrite the audit trail."""
    from core.dbroles import refuse_unsafe_runtime_role

    refuse_unsafe_runtime_role()
