#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A checkout with no secrets in its environment is a developer's: manage.py runs it in
    # development mode. A server always has SECRET_KEY set, so there it stays production (and the
    # WSGI entry point, which has no such default, still refuses to start without its secrets).
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
