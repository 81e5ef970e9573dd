"""manage.py createeditor USERNAME EMAIL: create or promote an editor, for production.

No password on the command line (it would sit in shell history and process lists): a new editor
receives allauth's password-reset email and chooses one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from allauth.account.forms import ResetPasswordForm
from allauth.core.context import request_context
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.management.base import BaseCommand, CommandError
from django.http import HttpRequest
from django.test import RequestFactory

from accounts.services import EditorAppointmentError, appoint_editor


def _default_base_url() -> str:
    host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{host.lstrip('.')}"


def _public_request(base_url: str) -> HttpRequest:
    """A request as if made to the site's public address (which must be in ALLOWED_HOSTS)."""
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise CommandError(f"--base-url must be like https://example.org, not {base_url!r}.")
    request = RequestFactory().post(
        "/accounts/password/reset/",
        SERVER_NAME=parts.hostname,
        SERVER_PORT=str(parts.port or (443 if parts.scheme == "https" else 80)),
        secure=parts.scheme == "https",
    )
    try:
        request.get_host()
    except DisallowedHost as exc:
        raise CommandError(f"{parts.hostname} is not in ALLOWED_HOSTS.") from exc
    return request


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
        # The address for the link is checked first, so a mistake there changes nothing.
        request = _public_request(base_url or _default_base_url())
        try:
            user, created = appoint_editor(username=username, email=email)
        except EditorAppointmentError as exc:
            raise CommandError(str(exc)) from exc
        if not created:
            self.stdout.write(f"{user} is now an editor ({email}, verified).")
            return
        # allauth's own reset flow; the request makes its link absolute.
        with request_context(request):
            form = ResetPasswordForm(data={"email": email})
            if not form.is_valid():
                raise CommandError(" ".join(form.errors.get("email", ["Invalid email."])))
            form.save(request)
        self.stdout.write(
            f"Created the editor {user} ({email}, verified). A password-setting email has been "
            "sent; the link in it expires like any password-reset link."
        )
