"""manage.py createeditor USERNAME EMAIL: create or promote an editor, for production.

No password on the command line (it would sit in shell history and process lists): a new editor
receives allauth's password-reset email and chooses one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from allauth.account.forms import ResetPasswordForm
from allauth.core.context import request_context
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import RequestFactory

from accounts.services import EditorAppointmentError, appoint_editor


def _default_base_url() -> str:
    host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{host.lstrip('.')}"


class Command(BaseCommand):
    help = (
        "Create an editor (who gets a password-setting email) or promote an existing user. "
        "Marks EMAIL verified and puts the user in the Editors group with staff status."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument(
            "--base-url",
            default=None,
            help="The site's public address, for the link in the email "
            "(default: the first ALLOWED_HOSTS entry).",
        )

    def handle(self, *args, username: str, email: str, base_url: str | None, **options):
        try:
            user, created = appoint_editor(username=username, email=email)
        except EditorAppointmentError as exc:
            raise CommandError(str(exc)) from exc
        if not created:
            self.stdout.write(f"{user} is now an editor ({email}, verified).")
            return
        self._send_password_email(email, base_url or _default_base_url())
        self.stdout.write(
            f"Created the editor {user} ({email}, verified). A password-setting email has been "
            "sent; the link in it expires like any password-reset link."
        )

    def _send_password_email(self, email: str, base_url: str) -> None:
        # allauth's own reset flow, fed a request for the public address so its link is absolute.
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise CommandError(f"--base-url must be like https://example.org, not {base_url!r}.")
        request = RequestFactory().post(
            "/accounts/password/reset/",
            SERVER_NAME=parts.hostname,
            SERVER_PORT=str(parts.port or (443 if parts.scheme == "https" else 80)),
            secure=parts.scheme == "https",
        )
        with request_context(request):
            form = ResetPasswordForm(data={"email": email})
            if not form.is_valid():
                raise CommandError(" ".join(form.errors.get("email", ["Invalid email."])))
            form.save(request)
