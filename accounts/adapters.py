"""The one place where Colloquy customises django-allauth (settings.ACCOUNT_ADAPTER)."""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from .returning import RETURN_TO_KEY, safe_next
from .usernames import validate_username


class SiteIdentity(NamedTuple):
    """What emails call the site: its name, not the host it was reached at."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Usernames are unique whatever their case (a database constraint on Lower(username)), so
        # say so rather than leave "Alice" wondering why "alice" is taken.
        "username_taken": (
            "That username is already taken (capitals do not count: “Alice” and “alice” are "
            "the same name). Please choose another."
        ),
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        # Our rules first: length, characters, reserved names. allauth then runs the model's
        # validators and the case-insensitive uniqueness check (unless shallow).
        validate_username(username)
        return super().clean_username(username, shallow=shallow)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # "Hello from Colloquy!", not from whatever host the request came to.
        host = get_current_site(self.request).domain if self.request is not None else ""
        site = SiteIdentity(name=settings.SITE_NAME, domain=host)
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    # --- Back to where the reader was ------------------------------------------------------

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # Remembered for the confirmation of the address, which may come much later.
        if target := safe_next(request):
            request.session[RETURN_TO_KEY] = target
        return super().save_user(request, user, form, commit)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        url = super().get_email_confirmation_url(request, emailconfirmation)
        target = safe_next(request) if request is not None else ""
        # The link carries it too, for a reader who opens the email on another device.
        return f"{url}?{urlencode({'next': target})}" if target else url

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        remembered = self.request.session.pop(RETURN_TO_KEY, "")
        return remembered or super().get_email_verification_redirect_url(email_address)
