from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import make_editor

DEMO_USERNAME = "demo-editor"
DEMO_EMAIL = "demo-editor@example.com"
DEMO_PASSWORD = "colloquy-demo-editor"  # noqa: S105  (development only; refused when DEBUG is off)


class Command(BaseCommand):
    help = "Development only: make sure a demo editor exists and print its login."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo editor exists only in development (DEBUG=1).")
        from allauth.account.models import EmailAddress

        user, _ = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": DEMO_EMAIL, "is_staff": True}
        )
        # Reset every time, so the login printed below always works.
        user.set_password(DEMO_PASSWORD)
        user.is_staff = True
        user.save()
        make_editor(user)
        EmailAddress.objects.update_or_create(
            user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
        self.stdout.write(f"Demo editor (development only): {DEMO_USERNAME} / {DEMO_PASSWORD}")
