#!/usr/bin/env python
"""Django's command line.

Like wsgi.py and celery.py it defaults to the production settings: an operator's
`manage.py migrate`, `createsuperuser` or cron'd `audit verify` that forgets
DJANGO_SETTINGS_MODULE refuses to run rather than acting on the demo's SQLite
database with DEBUG on. The Makefile and CI choose config.settings.local for the
demo and the developers' commands.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
