from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import appoint_editor

DEMO_USERNAME = "demo-editor"
DEMO_EMAIL = "demo-editor@example.com"
DEMO_PASSWORD = "colloquy-demo-editor"  # noqa: S105  (development only; refused when DEBUG is off)


class Command(BaseCommand):
    help = "Development only: make sure a demo editor exists and print its login."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo editor exists only in development (DEBUG=1).")
        user, _ = appoint_editor(username=DEMO_USERNAME, email=DEMO_EMAIL)
        # Reset every time, so the login printed below always works.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        self.stdout.write(f"Demo editor (development only): {DEMO_USERNAME} / {DEMO_PASSWORD}")
