"""The embedded demo: `make run`. SQLite, in-process tasks, mail to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
