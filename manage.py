#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # config/settings.py decides development or production, after reading .env; it needs to know
    # that a command, not a web server, is starting (a checkout without secrets is a developer's).
    os.environ["COLLOQUY_MANAGE_PY"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
