"""manage.py create_api_token USERNAME --name NAME [--days N]: a personal API token, from a shell.

The same service as the account page (accounts.tokens.create_token): only a hash is stored, and the
secret is printed once, alone on standard output, so scripts can capture it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.tokens import TokenRefused, create_token


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print its secret (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'CI'.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days until the token expires (default: it does not expire).",
        )

    def handle(self, *args, username: str, name: str, days: int | None, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        try:
            token, secret = create_token(user=user, name=name, lifetime_days=days)
        except TokenRefused as exc:
            raise CommandError(str(exc)) from exc
        expiry = f"expires {token.expiry:%Y-%m-%d %H:%M %Z}" if token.expiry else "never expires"
        self.stderr.write(f"Token “{token.name}” for {user.username} ({expiry}); keep it secret:")
        self.stdout.write(secret)
